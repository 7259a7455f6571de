import { Injectable } from '@nestjs/common';
import { RevocationSignal } from '../common/revocation-signal';

/**
 * Display tokens revoked on this process; the /live sweep closes their sockets. Other processes
 * learn it from their own sweep of the token records.
 */
@Injectable()
export class DisplayTokenRevocations extends RevocationSignal {}
