package io.pylon.server.rules.action;

import io.pylon.domain.rules.action.ActionFailedException;
import io.pylon.server.rules.outbound.OutboundResult;
import java.util.concurrent.CompletionStage;

/** What an outbound call's result means to a rule action: delivered, or failed with its reason. */
final class OutboundOutcome {

  private OutboundOutcome() {}

  /** Completes normally when delivered, exceptionally with the call's error message otherwise. */
  static CompletionStage<Void> of(CompletionStage<OutboundResult> call) {
    return call.thenApply(
        result -> {
          if (result instanceof OutboundResult.Failed failed) {
            throw new ActionFailedException(failed.errorMessage());
          }
          return null;
        });
  }
}
