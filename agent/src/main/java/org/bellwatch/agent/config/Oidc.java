package org.bellwatch.agent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Single sign-on with OpenID Connect ({@code auth.oidc}); null when not configured.
 *
 * @param issuer the provider's issuer; discovery reads {@code
 *     issuer/.well-known/openid-configuration}
 * @param clientSecretFile a file holding the client secret (one line)
 * @param redirectUrl this console's {@code /api/v1/auth/oidc/callback}, as registered with the
 *     provider
 * @param allowedEmailDomains e-mail domains that may sign in (empty: any)
 * @param defaultRole the role of a new SSO user no group maps ({@code none}: an account must exist)
 * @param groupsClaim the ID token claim listing the user's groups
 * @param adminGroups groups whose members are admins (new accounts only), likewise below
 */
public record Oidc(
    java.net.URI issuer,
    String clientId,
    Path clientSecretFile,
    java.net.URI redirectUrl,
    List<String> allowedEmailDomains,
    String defaultRole,
    String groupsClaim,
    List<String> adminGroups,
    List<String> coordinatorGroups,
    List<String> teacherGroups,
    List<String> viewerGroups,
    String buttonLabel) {
  public Oidc {
    allowedEmailDomains = List.copyOf(allowedEmailDomains);
    adminGroups = List.copyOf(adminGroups);
    coordinatorGroups = List.copyOf(coordinatorGroups);
    teacherGroups = List.copyOf(teacherGroups);
    viewerGroups = List.copyOf(viewerGroups);
  }
}
