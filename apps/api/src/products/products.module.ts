import { Module } from '@nestjs/common';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { StockModule } from '../stock/stock.module';
import { WritesModule } from '../writes/writes.module';
import { ProductRepository } from './product.repository';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';

/** GET and PATCH /api/v1/products/:sku: the catalog record, and edits of it as writes. */
@Module({
  imports: [StockModule, WritesModule],
  controllers: [ProductsController],
  providers: [
    {
      provide: ProductRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ dataSource }: Infrastructure) => new ProductRepository(dataSource),
    },
    ProductsService,
  ],
})
export class ProductsModule {}
