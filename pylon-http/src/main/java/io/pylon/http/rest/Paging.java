package io.pylon.http.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;

/** The {@code maxResults}/{@code nextToken} query parameters of token-paged list operations. */
public final class Paging {

  private Paging() {}

  /** The page a request asks for; {@code maxResults} defaults to 50 and must be 1..250. */
  public static PageRequest of(RestRequest request) {
    return new PageRequest(
        request.queryInt("maxResults").orElse(PageRequest.DEFAULT_MAX_RESULTS),
        request.query("nextToken"));
  }

  /** Adds {@code nextToken} to an output when more pages follow. */
  public static void putNextToken(ObjectNode output, Page<?> page) {
    page.nextToken().ifPresent(token -> output.put("nextToken", token));
  }
}
