/**
 * Outbound HTTP for rule actions: {@link io.pylon.server.rules.outbound.OutboundHttp} delivers the
 * http action's requests (optionally SigV4-signed) with AWS's timeout, retry and response-size
 * rules, bounded concurrency and a bounded queue, and reports one {@link
 * io.pylon.server.rules.outbound.OutboundResult} per request whose failure message is ready for the
 * error action. {@link io.pylon.server.rules.outbound.LambdaInvoker} is the lambda action on top of
 * it (asynchronous Invoke), {@link io.pylon.server.rules.outbound.OutboundTrust} the TLS trust for
 * private endpoints.
 *
 * <p>Built on the JDK's {@code java.net.http.HttpClient}: its async API, connection pool and TLS
 * (with host-name checks) come for free, while Netty would need a pool and client pipeline of our
 * own for a path that is not latency-critical.
 *
 * <p>Knows nothing of rules, templates or destinations: callers build the {@link
 * io.pylon.server.rules.outbound.OutboundRequest}.
 */
package io.pylon.server.rules.outbound;
