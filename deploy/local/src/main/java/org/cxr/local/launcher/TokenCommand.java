package org.cxr.local.launcher;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.cxr.local.infra.Secrets;
import org.cxr.security.Jwt;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./cxr token --role R [--ttl D] [--name N]}: prints a bearer token the local services accept,
 * signed with the data directory's key ({@code secrets/oidc-signing-key.pem}, created by
 * {@code ./cxr up}): issuer {@code cxr-local}, audience {@code cxr}, the roles in {@code groups},
 * the name as {@code preferred_username} and {@code sub} (what audit fields record).
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a bearer token for the local platform (roles: uploader, researcher, operator, admin).")
final class TokenCommand implements Callable<Integer> {
    static final List<String> ROLES = List.of("uploader", "researcher", "operator", "admin");
    static final Duration DASHBOARD_TTL = Duration.ofHours(12);

    @Mixin
    PlatformMain.Common common = new PlatformMain.Common();

    @Option(names = "--role", required = true, description = "a role of the token (repeatable): ${COMPLETION-CANDIDATES}",
            completionCandidates = Roles.class)
    List<String> roles;

    @Option(names = "--ttl", description = "lifetime: 90s, 30m, 12h, 7d or ISO-8601 (default ${DEFAULT-VALUE})")
    String ttl = "1h";

    @Option(names = "--name", description = "the principal (default: your user name, " + "as <user>@cli)")
    String name;

    static final class Roles extends java.util.ArrayList<String> {
        Roles() {
            super(ROLES);
        }
    }

    @Override
    public Integer call() {
        for (String r : roles) {
            if (!ROLES.contains(r)) {
                System.err.println("cxr token: unknown role '" + r + "' (one of " + ROLES + ")");
                return 2;
            }
        }
        Duration lifetime;
        try {
            lifetime = parseTtl(ttl);
        } catch (IllegalArgumentException e) {
            System.err.println("cxr token: " + e.getMessage());
            return 2;
        }
        System.out.println(mint(new Secrets(common.dataDir()), name == null ? cliUser() : name, roles, lifetime));
        return 0;
    }

    /** The principal of tokens the CLIs mint for the person running them. */
    static String cliUser() {
        return System.getProperty("user.name", "someone") + "@cli";
    }

    static String mint(Secrets secrets, String name, List<String> roles, Duration ttl) {
        return Jwt.sign(Jwt.Claims.local(name, roles, ttl), secrets.oidcSigningKey().getPrivate());
    }

    /** Tokens for a long-running client (the demo's feed): a new one once the last is half its lifetime old. */
    static java.util.function.Supplier<String> renewing(Secrets secrets, List<String> roles) {
        Duration ttl = Duration.ofMinutes(30);
        return new java.util.function.Supplier<>() {
            private String token;
            private long mintedAt;

            @Override
            public synchronized String get() {
                if (token == null || System.nanoTime() - mintedAt > ttl.toNanos() / 2) {
                    token = mint(secrets, cliUser(), roles, ttl);
                    mintedAt = System.nanoTime();
                }
                return token;
            }
        };
    }

    static Duration parseTtl(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            Duration d = switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException("unit");
            };
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            return d;
        } catch (DateTimeParseException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--ttl " + s + " is not a positive duration like 90s, 30m, 12h, 7d or PT1H");
        }
    }
}
