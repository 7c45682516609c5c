/**
 * The AWS IoT policy language: parsing and validating policy documents ({@link
 * io.pylon.domain.policy.language.PolicyDocument#parse}) and deciding requests against them as AWS
 * IoT does ({@link io.pylon.domain.policy.language.PolicyEvaluator}).
 *
 * <p>Semantics: explicit Deny wins, then Allow, else implicit deny. Actions match
 * case-insensitively with {@code *}/{@code ?}; resources match case-sensitively, {@code *} spans
 * any characters including {@code /}, and MQTT's {@code +}/{@code #} are plain characters (a {@code
 * topicfilter/} resource is compared as a string). {@code NotAction}/{@code NotResource} invert the
 * lists. Policy variables ({@code ${iot:ClientId}}, thing and certificate variables, {@code
 * aws:SourceIp}, any key of the {@link io.pylon.domain.policy.language.PolicyContext}) are
 * substituted in resources and condition values of {@code 2012-10-17} documents; a variable the
 * context cannot resolve makes that resource or value match nothing (AWS leaves the text in place,
 * which differs only for a request that literally contains {@code ${...}}; matching nothing keeps
 * such a request out). Conditions implement the IAM operators with {@code IfExists} and the {@code
 * ForAnyValue:}/{@code ForAllValues:} qualifiers.
 *
 * <p>Speed: documents are compiled when parsed (wildcards into anchored segment matchers, no
 * regular expressions; variables pre-split). {@link
 * io.pylon.domain.policy.language.PolicyEvaluator#prepare} binds a principal's policies to one
 * context, substituting variables and deciding conditions once, so a per-message check only matches
 * the action and resource and allocates nothing.
 *
 * <p>Storage, versions and attachment of policies live in {@code io.pylon.domain.policy}; this
 * package knows nothing of where documents come from.
 */
package io.pylon.domain.policy.language;
