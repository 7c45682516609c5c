/**
 * The REST operations of AWS IoT policies ({@link io.pylon.http.policy.PoliciesApi}): request
 * members read as the botocore model places them (path, query, header, body), outputs in the
 * model's shapes, over {@link io.pylon.domain.policy.PolicyService}.
 */
package io.pylon.http.policy;
