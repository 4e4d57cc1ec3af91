package dev.ferry.rollout;

import dev.ferry.InvalidInputException;
import dev.ferry.server.ServerContext;
import dev.ferry.server.ServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Staged rollouts in {@code ferry serve}: the admin routes under {@code /v1/admin/rollouts}, a
 * {@link RolloutEngine} checking every rollout each check interval, and every transition written
 * to the admin audit log. Found on the class path by the server; configured by the environment:
 * {@code FERRY_ROLLOUT_STORE} (a {@code jdbc:postgresql:} URL; default the registry's database
 * when {@code FERRY_REGISTRY} is one, else files under the data dir), {@code FERRY_ROLLOUT_USER}
 * and {@code FERRY_ROLLOUT_PASSWORD} (default the registry's), {@code FERRY_ROLLOUT_CHECK_SECONDS}
 * (default 10; 0 stops the loop), {@code FERRY_ROLLOUT_LEASE_SECONDS} (default 30) and
 * {@code FERRY_ROLLOUT_OWNER} (this server's name; default the host name and a random suffix).
 */
public final class RolloutExtension implements ServerExtension {

    /**
     * The extension's settings.
     *
     * @param postgresUrl where rollouts live when several servers share them; empty for the data dir
     * @param user        database user
     * @param password    database password
     * @param checkEvery  how often the gates are checked; zero for no loop (tests tick by hand)
     * @param leaseTtl    how long a driver holds a rollout without renewing
     * @param owner       this server's name among those sharing the database
     */
    public record Settings(Optional<String> postgresUrl, String user, String password, Duration checkEvery, Duration leaseTtl,
                           String owner) {

        public static Settings fromEnvironment(Map<String, String> env) {
            List<String> problems = new ArrayList<>();
            String url = env.getOrDefault("FERRY_ROLLOUT_STORE", "").trim();
            String registry = env.getOrDefault("FERRY_REGISTRY", "").trim();
            if (url.isEmpty() && registry.startsWith("jdbc:postgresql:")) {
                url = registry;
            }
            if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
                problems.add("FERRY_ROLLOUT_STORE was '" + url + "' but it must be a jdbc:postgresql: URL (or unset for the data dir)");
            }
            long check = seconds(env, "FERRY_ROLLOUT_CHECK_SECONDS", 10, 0, problems);
            long lease = seconds(env, "FERRY_ROLLOUT_LEASE_SECONDS", 30, 1, problems);
            if (!problems.isEmpty()) {
                throw new InvalidInputException("rollout settings are invalid: " + String.join("; ", problems));
            }
            String owner = env.getOrDefault("FERRY_ROLLOUT_OWNER", host() + "-" + java.util.UUID.randomUUID().toString().substring(0, 6));
            return new Settings(url.isEmpty() ? Optional.empty() : Optional.of(url),
                    env.getOrDefault("FERRY_ROLLOUT_USER", env.get("FERRY_REGISTRY_USER")),
                    env.getOrDefault("FERRY_ROLLOUT_PASSWORD", env.get("FERRY_REGISTRY_PASSWORD")),
                    Duration.ofSeconds(check), Duration.ofSeconds(lease), owner);
        }

        private static long seconds(Map<String, String> env, String key, long dflt, long min, List<String> problems) {
            String v = env.get(key);
            if (v == null || v.isBlank()) {
                return dflt;
            }
            try {
                long n = Long.parseLong(v.trim());
                if (n < min || n > 86_400) {
                    problems.add(key + " was '" + v + "' but it must be between " + min + " and 86400");
                }
                return n;
            } catch (NumberFormatException e) {
                problems.add(key + " was '" + v + "' but it must be a whole number of seconds");
                return dflt;
            }
        }

        private static String host() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "ferry";
            }
        }
    }

    private final Optional<Settings> given;
    private RolloutStore store;
    private RolloutEngine engine;

    /**
     * Configured from the environment when the server registers it (so a bad setting fails the
     * server's start with its message); the server's {@link java.util.ServiceLoader} uses this.
     */
    public RolloutExtension() {
        this.given = Optional.empty();
    }

    public RolloutExtension(Settings settings) {
        this.given = Optional.of(settings);
    }

    @Override
    public void register(ServerContext context) {
        Settings settings = given.orElseGet(() -> Settings.fromEnvironment(System.getenv()));
        store = settings.postgresUrl().isPresent()
                ? PostgresRolloutStore.open(settings.postgresUrl().get(), settings.user(), settings.password())
                : FileRolloutStore.open(context.config().dataDir().resolve("rollouts"));
        engine = RolloutEngine.builder().serving(context.engine()).store(store).clock(context.clock()).owner(settings.owner())
                .leaseTtl(settings.leaseTtl())
                .listener((s, t) -> {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("deployment", s.plan().deployment());
                    details.put("candidate", s.plan().candidate().toString());
                    details.put("from", t.from());
                    details.put("to", t.to());
                    details.put("reason", t.reason());
                    s.rollbackMillis().ifPresent(ms -> details.put("rollback_ms", ms));
                    context.audit(t.actor(), "rollout_transition", s.id(), details, "ok");
                })
                .build();
        new RolloutRoutes(engine, context.clock()).register(context);
        if (!settings.checkEvery().isZero()) {
            engine.schedule(settings.checkEvery());
        }
    }

    /** The engine, once registered. */
    public RolloutEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
