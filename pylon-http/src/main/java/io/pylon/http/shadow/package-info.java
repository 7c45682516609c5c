/**
 * The iot-data shadow operations (GetThingShadow, UpdateThingShadow, DeleteThingShadow,
 * ListNamedShadowsForThing) over {@code io.pylon.domain.shadow.ShadowService}: raw JSON documents
 * in and out, shadow errors as AWS answers them on REST (the {@code {code,message}} document with
 * {@code x-amzn-ErrorType}), and the policy check for devices calling with their certificate.
 */
package io.pylon.http.shadow;
