/**
 * Error bodies are answers too: a message that quotes stored text (a name, a reason) reaches a
 * blinded caller like any other field. The error filter passes every error body for a blinded
 * caller through here; what names an arm is withheld and the event recorded, as for any answer.
 * `BLINDING_RISK` is the one error passed as is: it quotes back only the word the caller has just
 * typed into their own request, so that they can reword it.
 */
import { Injectable } from '@nestjs/common';
import type { ErrorBody } from '../../../shared/errors.js';
import { ProtocolService } from '../modules/protocol/protocol.service.js';
import { BlindingIncidents } from './blinding-incidents.js';
import { redactLeaksEach } from '../common/blinding.js';
import { routeOf } from './blinding.interceptor.js';
import { isBlindedViewer, type Viewer } from '../common/viewer.js';

@Injectable()
export class ErrorBodyGuard {
  constructor(
    private readonly protocol: ProtocolService,
    private readonly incidents: BlindingIncidents,
  ) {}

  guard(request: { method: string; viewer?: Viewer }, body: ErrorBody): ErrorBody {
    const viewer = request.viewer;
    if (!viewer || !isBlindedViewer(viewer) || body.code === 'BLINDING_RISK') return body;
    const vocabs = this.protocol.vocabulariesFor(viewer.studyId);
    if (!vocabs.length) return body;
    const { body: redacted, withheld } = redactLeaksEach(body, vocabs);
    if (withheld.length === 0) return body;
    void this.incidents.record({
      viewer,
      method: request.method,
      route: routeOf(request as never),
      paths: withheld,
      status: body.statusCode,
    });
    return redacted as ErrorBody;
  }
}
