/**
 * Reading AWS CLI command lines ({@code call_aws}'s {@code cli_command}) into the API operations
 * they perform, for the policy engine.
 *
 * <p>The entry point is {@link io.github.mcppolicyproxy.aws.AwsCliParser}; its result is either
 * an {@link io.github.mcppolicyproxy.aws.AwsCommand} or a reason the command cannot be judged. The
 * parser is a security boundary: whatever it cannot read exactly as the CLI would is refused with
 * a precise reason, never guessed. What the policy engine must know:
 * <ul>
 *   <li>operation keys use IAM service prefixes ({@code s3api} and {@code s3} are {@code s3},
 *       {@code elbv2} is {@code elasticloadbalancing}, ...); compare operation names
 *       case-insensitively, as IAM does, because names outside the acronym table are PascalCased
 *       mechanically ({@code DescribeDbInstances} for an unknown {@code describe-db-instances});</li>
 *   <li>match parameters with {@link io.github.mcppolicyproxy.aws.AwsCommand#paramValues(String)},
 *       which covers the CLI's abbreviations ({@code --dest} for {@code --destination}) and
 *       inline {@code --cli-input-json};</li>
 *   <li>help, {@code --version}, {@code configure}, {@code history}, waiters and local-program
 *       customizations are Unparseable; {@code --generate-cli-skeleton} parses and is listed in
 *       {@code globalOptions};</li>
 *   <li>values the CLI loads from files ({@code file://}, {@code fileb://}) are kept literally:
 *       a policy cannot see their content.</li>
 * </ul>
 */
package io.github.mcppolicyproxy.aws;
