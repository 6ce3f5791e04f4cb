/**
 * The second line of blinding (the first is the per-viewer views): every response to a blinded
 * caller is checked, every string of it, and anything that names an arm or product (or sits in an
 * unblinded field) is withheld: replaced by a marker, the rest of the answer delivered, the event
 * audited and notified to the administrators (blinding-incidents.ts). Never a 500: a stored text
 * that trips the guard must not break a page or an export for good. Error bodies are guarded the
 * same way by the error filter. The one exception is the emergency reveal to its requester
 * (see unblinded-response.ts).
 */
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { mergeMap, type Observable } from 'rxjs';
import { ProtocolService } from '../modules/protocol/protocol.service.js';
import { BlindingIncidents } from './blinding-incidents.js';
import { redactLeaksEach } from '../common/blinding.js';
import { ALLOW_UNBLINDED_KEY, UnblindedResponse } from '../common/unblinded-response.js';
import { isBlindedViewer, type Viewer } from '../common/viewer.js';

/** The route pattern of a request, for logs and audit (never the raw URL with its query). */
export function routeOf(request: { baseUrl?: string; route?: { path?: string }; path?: string }): string {
  return request.route?.path ? `${request.baseUrl ?? ''}${request.route.path}` : (request.path ?? '?');
}

@Injectable()
export class BlindingInterceptor implements NestInterceptor {
  constructor(
    private readonly protocol: ProtocolService,
    private readonly reflector: Reflector,
    private readonly incidents: BlindingIncidents,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    const response = context.switchToHttp().getResponse();
    const mayUnblind = this.reflector.get<boolean>(ALLOW_UNBLINDED_KEY, context.getHandler()) === true;
    return next.handle().pipe(
      mergeMap(async (body) => {
        const viewer: Viewer | undefined = request.viewer;
        let guarded = body;
        let forceGuard = false;
        if (body instanceof UnblindedResponse) {
          if (mayUnblind && viewer && body.forUserId === viewer.userId) return body.body;
          // Not addressed to its caller, or not on a reveal route: treated as any answer to a blinded caller.
          guarded = body.body;
          forceGuard = true;
        }
        if (!forceGuard && (!viewer || !isBlindedViewer(viewer))) return guarded;
        const vocabs = this.protocol.vocabulariesFor(viewer?.studyId);
        if (!vocabs.length) return guarded;
        const { body: redacted, withheld } = redactLeaksEach(guarded, vocabs);
        if (withheld.length > 0)
          await this.incidents.record({
            viewer,
            method: request.method,
            route: routeOf(request),
            paths: withheld,
            status: response.statusCode ?? 200,
          });
        return redacted;
      }),
    );
  }
}
