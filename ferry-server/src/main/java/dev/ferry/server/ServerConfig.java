package dev.ferry.server;

import dev.ferry.InvalidInputException;
import dev.ferry.serving.Isolation;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The server's settings: one YAML file, each key overridable by an environment variable
 * ({@code server.port} by {@code FERRY_SERVER_PORT}), or set through {@link #builder()}.
 * Loading reports every problem at once, as "key was 'value' but it ...". Deployments to
 * create at start-up are listed under {@code deployments:} in the file only.
 *
 * <pre>
 * server:  {host: 0.0.0.0, port: 8080, max-body-bytes: 4194304, max-batch: 1000}
 * admin:   {token: ...}
 * serving: {data-dir: ./ferry-data, budget-ms: 50, infer-budget-ms: 5000, isolation: auto, shadow-concurrency: 64,
 *           log-max-bytes: 67108864, log-max-age-minutes: 60, log-queue: 65536, alias-poll-seconds: 30}
 * log:     {parquet-dir: ./ferry-data/predictions-parquet, kafka-bootstrap: kafka:9092, kafka-topic: predictions}
 * monitoring: {enabled: true, window: 1h, rules: ./alert-rules.yaml, webhook-url: http://alerts:9000/ferry,
 *              queue: 65536, data-dir: ./ferry-data}
 * deployments:
 *   credit: {model: credit, version: champion, entity_keys: [user_id]}
 * </pre>
 */
public final class ServerConfig {

    /** Every key, with its default ("" for none). */
    static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("server.host", "0.0.0.0");
        KEYS.put("server.port", "8080");
        KEYS.put("server.max-body-bytes", "4194304");
        KEYS.put("server.max-batch", "1000");
        KEYS.put("server.max-tensor-elements", "1000000");
        KEYS.put("admin.token", "");
        KEYS.put("serving.data-dir", "ferry-data");
        KEYS.put("serving.budget-ms", "50");
        KEYS.put("serving.infer-budget-ms", "5000");
        KEYS.put("serving.isolation", "auto");
        KEYS.put("serving.shadow-concurrency", "64");
        KEYS.put("serving.log-max-bytes", "67108864");
        KEYS.put("serving.log-max-age-minutes", "60");
        KEYS.put("serving.log-queue", "65536");
        KEYS.put("serving.alias-poll-seconds", "30");
        KEYS.put("log.parquet-dir", "");
        KEYS.put("log.kafka-bootstrap", "");
        KEYS.put("log.kafka-topic", "");
        KEYS.put("monitoring.enabled", "false");
        KEYS.put("monitoring.window", "1h");
        KEYS.put("monitoring.rules", "");
        KEYS.put("monitoring.webhook-url", "");
        KEYS.put("monitoring.queue", "65536");
        KEYS.put("monitoring.data-dir", "");
    }

    private final String host;
    private final int port;
    private final long maxBodyBytes;
    private final int maxBatch;
    private final int maxTensorElements;
    private final Optional<String> adminToken;
    private final Path dataDir;
    private final Duration budget;
    private final Duration inferBudget;
    private final Isolation isolation;
    private final int shadowConcurrency;
    private final long logMaxBytes;
    private final Duration logMaxAge;
    private final int logQueue;
    private final Duration aliasPoll;
    private final Optional<Path> logParquetDir;
    private final Optional<KafkaLog> logKafka;
    private final Optional<Monitoring> monitoring;
    private final Map<String, Object> deployments;

    private ServerConfig(Map<String, String> v, Map<String, Object> deployments) {
        List<String> problems = new ArrayList<>();
        this.host = v.get("server.host");
        if (host.isBlank()) {
            problems.add("server.host was '' but it must be a host name or address");
        }
        this.port = (int) integer(v, "server.port", 0, 65535, problems);
        this.maxBodyBytes = integer(v, "server.max-body-bytes", 1, Integer.MAX_VALUE - 8, problems);
        this.maxBatch = (int) integer(v, "server.max-batch", 1, 100_000, problems);
        this.maxTensorElements = (int) integer(v, "server.max-tensor-elements", 1, 100_000_000, problems);
        String token = v.get("admin.token");
        if (!token.isEmpty() && token.length() < 16) {
            problems.add("admin.token was " + token.length() + " characters but it must be at least 16 (or empty to disable the admin API)");
        }
        this.adminToken = token.isEmpty() ? Optional.empty() : Optional.of(token);
        this.dataDir = Path.of(v.get("serving.data-dir"));
        this.budget = Duration.ofMillis(integer(v, "serving.budget-ms", 1, 600_000, problems));
        this.inferBudget = Duration.ofMillis(integer(v, "serving.infer-budget-ms", 1, 600_000, problems));
        this.isolation = isolation(v.get("serving.isolation"), problems);
        this.shadowConcurrency = (int) integer(v, "serving.shadow-concurrency", 1, 100_000, problems);
        this.logMaxBytes = integer(v, "serving.log-max-bytes", 1024, Long.MAX_VALUE, problems);
        this.logMaxAge = Duration.ofMinutes(integer(v, "serving.log-max-age-minutes", 1, 10_080, problems));
        this.logQueue = (int) integer(v, "serving.log-queue", 1, 10_000_000, problems);
        this.aliasPoll = Duration.ofSeconds(integer(v, "serving.alias-poll-seconds", 0, 86_400, problems));
        this.logParquetDir = v.get("log.parquet-dir").isBlank() ? Optional.empty() : Optional.of(Path.of(v.get("log.parquet-dir").trim()));
        this.logKafka = kafkaLog(v.get("log.kafka-bootstrap").trim(), v.get("log.kafka-topic").trim(), problems);
        this.monitoring = monitoring(v, problems);
        this.deployments = Map.copyOf(deployments);
        if (!problems.isEmpty()) {
            throw new InvalidInputException("server configuration is invalid: " + String.join("; ", problems));
        }
    }

    private static Isolation isolation(String text, List<String> problems) {
        try {
            return Isolation.parse("serving.isolation", text);
        } catch (InvalidInputException e) {
            problems.add(e.getMessage());
            return Isolation.AUTO;
        }
    }

    private static long integer(Map<String, String> v, String key, long min, long max, List<String> problems) {
        String text = v.get(key);
        try {
            long n = Long.parseLong(text.trim());
            if (n < min || n > max) {
                problems.add(key + " was '" + text + "' but it must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(key + " was '" + text + "' but it must be an integer");
            return min;
        }
    }

    private static Optional<KafkaLog> kafkaLog(String bootstrap, String topic, List<String> problems) {
        if (bootstrap.isEmpty() && topic.isEmpty()) {
            return Optional.empty();
        }
        int before = problems.size();
        if (bootstrap.isEmpty()) {
            problems.add("log.kafka-bootstrap was '' but it must be host:port[,host:port...] when log.kafka-topic is set");
        } else {
            for (String hostPort : bootstrap.split(",")) {
                if (!hostPort.trim().matches("[^:\\s]+:\\d{1,5}")) {
                    problems.add("log.kafka-bootstrap was '" + bootstrap + "' but each entry must be host:port ('" + hostPort.trim() + "' is not)");
                }
            }
        }
        if (topic.isEmpty()) {
            problems.add("log.kafka-topic was '' but it must name a topic when log.kafka-bootstrap is set");
        } else if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
            problems.add("log.kafka-topic was '" + topic + "' but it must be 1 to 249 of letters, digits, '.', '_', '-'");
        }
        return problems.size() == before ? Optional.of(new KafkaLog(bootstrap, topic)) : Optional.empty();
    }

    private static Optional<Monitoring> monitoring(Map<String, String> v, List<String> problems) {
        String enabled = v.get("monitoring.enabled").trim().toLowerCase(Locale.ROOT);
        if (!enabled.equals("true") && !enabled.equals("false")) {
            problems.add("monitoring.enabled was '" + v.get("monitoring.enabled") + "' but it must be true or false");
            return Optional.empty();
        }
        int before = problems.size();
        String windowText = v.get("monitoring.window");
        Duration window = dev.ferry.monitoring.alert.AlertRules.parseDuration(windowText);
        if (window == null || window.toMillis() < 1000) {
            problems.add("monitoring.window was '" + windowText + "' but it must be a duration of at least 1s like 1m, 1h or PT1H");
        }
        String rules = v.get("monitoring.rules").trim();
        if (!rules.isEmpty() && !Files.isRegularFile(Path.of(rules))) {
            problems.add("monitoring.rules was '" + rules + "' but no such file exists");
        }
        String hook = v.get("monitoring.webhook-url").trim();
        java.net.URI url = null;
        if (!hook.isEmpty()) {
            try {
                url = new java.net.URI(hook);
            } catch (java.net.URISyntaxException e) {
                url = null;
            }
            if (url == null || url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                problems.add("monitoring.webhook-url was '" + hook + "' but it must be an http:// or https:// URL");
            }
        }
        int queue = (int) integer(v, "monitoring.queue", 1, 10_000_000, problems);
        String dir = v.get("monitoring.data-dir").trim();
        if (!enabled.equals("true") || problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Monitoring(window, rules.isEmpty() ? Optional.empty() : Optional.of(Path.of(rules)),
                Optional.ofNullable(url), queue, Path.of(dir.isEmpty() ? v.get("serving.data-dir") : dir)));
    }

    /** The environment variable that overrides {@code key}: {@code FERRY_} + key in upper case, '.' and '-' as '_'. */
    public static String envName(String key) {
        return "FERRY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Reads {@code file} (YAML) and applies {@code env} overrides; reports every problem at once. */
    public static ServerConfig load(Path file, Map<String, String> env) {
        Object root;
        try (Reader r = Files.newBufferedReader(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new InvalidInputException("configuration file " + file + " cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new InvalidInputException("configuration file " + file + " is not valid YAML: " + e.getMessage());
        }
        return fromTree(root == null ? Map.of() : root, env);
    }

    /** The defaults with {@code env} overrides ({@code FERRY_SERVER_PORT}, ...), for running without a file. */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        return fromTree(Map.of(), env);
    }

    /** Builds from a parsed YAML tree plus environment overrides. */
    @SuppressWarnings("unchecked")
    static ServerConfig fromTree(Object root, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>(KEYS);
        Map<String, Object> deployments = Map.of();
        if (!(root instanceof Map<?, ?> top)) {
            throw new InvalidInputException("configuration must be a YAML mapping but was " + root.getClass().getSimpleName());
        }
        for (var e : top.entrySet()) {
            String section = String.valueOf(e.getKey());
            if (section.equals("deployments")) {
                if (e.getValue() instanceof Map<?, ?> m) {
                    deployments = (Map<String, Object>) m;
                } else if (e.getValue() != null) {
                    problems.add("deployments was '" + e.getValue() + "' but it must be a mapping of name to deployment");
                }
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                problems.add(section + " was '" + e.getValue() + "' but it must be a mapping; known keys: " + KEYS.keySet());
                continue;
            }
            for (var kv : m.entrySet()) {
                String key = section + "." + kv.getKey();
                if (!KEYS.containsKey(key)) {
                    problems.add(key + " is not a known key; known keys: " + KEYS.keySet());
                } else if (kv.getValue() instanceof Map<?, ?> || kv.getValue() instanceof List<?>) {
                    problems.add(key + " was '" + kv.getValue() + "' but it must be a single value");
                } else {
                    values.put(key, kv.getValue() == null ? "" : String.valueOf(kv.getValue()));
                }
            }
        }
        for (String key : KEYS.keySet()) {
            String over = env.get(envName(key));
            if (over != null) {
                values.put(key, over);
            }
        }
        try {
            ServerConfig c = new ServerConfig(values, deployments);
            if (!problems.isEmpty()) {
                throw new InvalidInputException("server configuration is invalid: " + String.join("; ", problems));
            }
            return c;
        } catch (InvalidInputException e) {
            if (problems.isEmpty()) {
                throw e;
            }
            throw new InvalidInputException(e.getMessage() + "; " + String.join("; ", problems));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    /** The port; 0 picks a free one (see {@link FerryServer#port()}). */
    public int port() {
        return port;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public int maxTensorElements() {
        return maxTensorElements;
    }

    public Optional<String> adminToken() {
        return adminToken;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Default time budget of deployments that name none. */
    public Duration budget() {
        return budget;
    }

    public Duration inferBudget() {
        return inferBudget;
    }

    /** Where model calls run: on the request's thread while they keep their budget, or always isolated. */
    public Isolation isolation() {
        return isolation;
    }

    public int shadowConcurrency() {
        return shadowConcurrency;
    }

    public long logMaxBytes() {
        return logMaxBytes;
    }

    public Duration logMaxAge() {
        return logMaxAge;
    }

    public int logQueue() {
        return logQueue;
    }

    /**
     * How often deployments re-resolve the registry aliases they follow, so an alias moved
     * elsewhere (CLI, another server) reaches this server; zero turns polling off.
     */
    public Duration aliasPoll() {
        return aliasPoll;
    }

    /** Where to write a Parquet copy of the prediction log ({@code log.parquet-dir}), if anywhere. */
    public Optional<Path> logParquetDir() {
        return logParquetDir;
    }

    /** The Kafka topic to stream the prediction log to ({@code log.kafka-bootstrap}, {@code log.kafka-topic}), if any. */
    public Optional<KafkaLog> logKafka() {
        return logKafka;
    }

    /**
     * Where the Kafka prediction log goes.
     *
     * @param bootstrap {@code host:port[,host:port...]}
     * @param topic     the topic
     */
    public record KafkaLog(String bootstrap, String topic) {
    }

    /** Live monitoring of served deployments ({@code monitoring.*}), when {@code monitoring.enabled} is true. */
    public Optional<Monitoring> monitoring() {
        return monitoring;
    }

    /**
     * How served deployments are monitored.
     *
     * @param window  length of a monitoring window ({@code monitoring.window})
     * @param rules   alert rules file ({@code monitoring.rules}); the default rules without one
     * @param webhook where alerts are posted ({@code monitoring.webhook-url}); always to the log
     * @param queue   served predictions that may wait for the monitor ({@code monitoring.queue})
     * @param dataDir the Ferry data directory holding {@code monitoring/baselines} ({@code monitoring.data-dir},
     *                default {@code serving.data-dir})
     */
    public record Monitoring(Duration window, Optional<Path> rules, Optional<java.net.URI> webhook, int queue, Path dataDir) {
    }

    /** Deployments to create at start-up: name to the JSON/YAML form of a deployment. */
    public Map<String, Object> deployments() {
        return deployments;
    }

    /** The same options as the file; {@link #build()} validates them all at once. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>(KEYS);
        private final Map<String, Object> deployments = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets any key by its file name, e.g. {@code set("server.port", "0")}. */
        public Builder set(String key, Object value) {
            if (!KEYS.containsKey(key)) {
                throw new InvalidInputException(key + " is not a known key; known keys: " + KEYS.keySet());
            }
            values.put(key, String.valueOf(value));
            return this;
        }

        public Builder host(String v) {
            return set("server.host", v);
        }

        public Builder port(int v) {
            return set("server.port", v);
        }

        public Builder maxBodyBytes(long v) {
            return set("server.max-body-bytes", v);
        }

        public Builder maxBatch(int v) {
            return set("server.max-batch", v);
        }

        public Builder adminToken(String v) {
            return set("admin.token", v);
        }

        public Builder dataDir(Path v) {
            return set("serving.data-dir", v.toString());
        }

        public Builder budget(Duration v) {
            return set("serving.budget-ms", v.toMillis());
        }

        public Builder inferBudget(Duration v) {
            return set("serving.infer-budget-ms", v.toMillis());
        }

        public Builder isolation(Isolation v) {
            return set("serving.isolation", v.name().toLowerCase(java.util.Locale.ROOT));
        }

        /** A deployment to create at start-up, in its JSON/YAML form (a map). */
        public Builder deployment(String name, Map<String, Object> spec) {
            deployments.put(name, spec);
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(values, deployments);
        }
    }
}
