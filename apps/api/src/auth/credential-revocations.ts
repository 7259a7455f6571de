import { Injectable } from '@nestjs/common';
import { RevocationSignal } from '../common/revocation-signal';

/**
 * Revocation ids revoked on this process (a token put on the deny-list, the sessions of a
 * disabled user); the /live sweep closes their sockets. Other processes learn them from the
 * revocation channel (RevocationListener) or from their own sweep of the deny-list.
 */
@Injectable()
export class CredentialRevocations extends RevocationSignal {}
