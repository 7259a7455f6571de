import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { Role } from '@stockwall/contracts';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from '../../apps/api/src/auth/auth.decorators';

/** One route as Nest registered it, read from its controller's metadata. */
export interface RegisteredRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** `/api/v1/stock/:sku`. */
  path: string;
  handler: string;
  pathParameters: string[];
  takesQuery: boolean;
  takesBody: boolean;
  /** From @HttpCode, when the handler sets one. */
  httpCode: number | undefined;
  isPublic: boolean;
  role: Role | undefined;
}

const METHODS: Partial<Record<RequestMethod, RegisteredRoute['method']>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

interface RouteArgument {
  index: number;
  data?: unknown;
}

/** Every HTTP route of every controller the application holds. */
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const controllers = new Set<Type>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) controllers.add(wrapper.metatype as Type);
  }
  const routes: RegisteredRoute[] = [];
  for (const controller of controllers) {
    const prefixes = pathsOf(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const method = requestMethod === undefined ? undefined : METHODS[requestMethod];
      if (method === undefined) continue;
      const argumentsByKey = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
        string,
        RouteArgument
      >;
      // Keys are `<RouteParamtypes>:<index>`.
      const kinds = Object.entries(argumentsByKey).map(([key, argument]) => ({
        type: RouteParamtypes[Number(key.split(':')[0])] as keyof typeof RouteParamtypes,
        data: argument.data,
      }));
      const metadata = <T>(key: string) =>
        (Reflect.getMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, controller) as T | undefined);
      for (const prefix of prefixes) {
        for (const suffix of pathsOf(Reflect.getMetadata(PATH_METADATA, handler))) {
          routes.push({
            method,
            path: `/${[prefix, suffix]
              .flatMap((part) => part.split('/'))
              .filter(Boolean)
              .join('/')}`,
            handler: `${controller.name}.${name}`,
            pathParameters: kinds
              .filter((kind) => kind.type === 'PARAM' && typeof kind.data === 'string')
              .map((kind) => kind.data as string),
            takesQuery: kinds.some((kind) => kind.type === 'QUERY'),
            takesBody: kinds.some((kind) => kind.type === 'BODY'),
            httpCode: Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined,
            isPublic: metadata<boolean>(PUBLIC_ROUTE) === true,
            role: metadata<Role>(REQUIRED_ROLE),
          });
        }
      }
    }
  }
  return routes;
}

function pathsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : ''];
}
