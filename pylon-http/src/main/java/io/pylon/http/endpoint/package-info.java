/**
 * DescribeEndpoint: the address that AWS SDKs, the AWS CLI and device samples should connect to,
 * which for Pylon is this server's own host (and HTTPS port when it is not 443).
 */
package io.pylon.http.endpoint;
