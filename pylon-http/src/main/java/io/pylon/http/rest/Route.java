package io.pylon.http.rest;

/**
 * One AWS operation's place on the wire.
 *
 * @param service the service that owns it
 * @param operation the operation name, e.g. {@code CreateThing}
 * @param method the HTTP method
 * @param template the request URI template
 * @param priority how soon Pylon means to serve it: {@code P0} core, {@code P1} common, {@code P2}
 *     the rest
 */
public record Route(
    RestService service, String operation, String method, PathTemplate template, String priority) {

  @Override
  public String toString() {
    return service.id() + ":" + operation + " " + method + " " + template;
  }
}
