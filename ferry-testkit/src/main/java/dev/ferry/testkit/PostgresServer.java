package dev.ferry.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL for tests. When {@code FERRY_TEST_POSTGRES_URL} names a server (a JDBC URL;
 * user and password in {@code FERRY_TEST_POSTGRES_USER} and {@code FERRY_TEST_POSTGRES_PASSWORD})
 * that one is used; otherwise an embedded PostgreSQL is started on a random port, once per JVM,
 * and stopped when the JVM exits. Each test asks {@link #newDatabase()} for a database of its
 * own (a fresh schema), so tests never see each other's data.
 */
public final class PostgresServer {

    public static final String URL_ENV = "FERRY_TEST_POSTGRES_URL";
    public static final String USER_ENV = "FERRY_TEST_POSTGRES_USER";
    public static final String PASSWORD_ENV = "FERRY_TEST_POSTGRES_PASSWORD";

    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://[^/?]+(/[^?]*)?(\\?.*)?");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile PostgresServer shared;

    private final String adminUrl;
    private final String user;
    private final String password;
    private final boolean embedded;
    private final List<String> created = new CopyOnWriteArrayList<>();

    private PostgresServer(String adminUrl, String user, String password, boolean embedded) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /** The server for this JVM: the one the environment names, or an embedded one started now. */
    public static PostgresServer shared() {
        PostgresServer s = shared;
        if (s == null) {
            synchronized (PostgresServer.class) {
                s = shared;
                if (s == null) {
                    s = start(System.getenv());
                    shared = s;
                }
            }
        }
        return s;
    }

    static PostgresServer start(Map<String, String> env) {
        String url = env.get(URL_ENV);
        if (url != null && !url.isBlank()) {
            if (!JDBC.matcher(url).matches()) {
                throw new IllegalArgumentException(URL_ENV + " was '" + url + "' but it must be a JDBC URL like jdbc:postgresql://127.0.0.1:5432/postgres");
            }
            PostgresServer s = new PostgresServer(url, env.getOrDefault(USER_ENV, "postgres"), env.getOrDefault(PASSWORD_ENV, ""), false);
            Runtime.getRuntime().addShutdownHook(new Thread(s::dropCreated, "ferry-test-postgres-cleanup"));
            return s;
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // The JVM is exiting; the data directory is temporary either way.
                }
            }, "ferry-test-postgres-stop"));
            return new PostgresServer(pg.getJdbcUrl("postgres", "postgres"), "postgres", "", true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an embedded PostgreSQL; set " + URL_ENV + " to use a running one", e);
        }
    }

    /** True when this server was started by the testkit, false when the environment named it. */
    public boolean embedded() {
        return embedded;
    }

    /**
     * Gives one test an empty schema of its own, named in the URL's {@code currentSchema}, so
     * unqualified table names resolve there. Schemas are cheap to create and drop, unlike
     * databases, which matters on a shared server.
     */
    public Database newDatabase() {
        String schema = "ferry_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test schema " + schema + " on " + adminUrl + ": " + e.getMessage(), e);
        }
        created.add(schema);
        String sep = adminUrl.contains("?") ? "&" : "?";
        return new Database(adminUrl + sep + "currentSchema=" + schema, user, password, schema);
    }

    private void dropCreated() {
        if (created.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.setQueryTimeout(10);
            s.execute("DROP SCHEMA IF EXISTS " + String.join(", ", created) + " CASCADE");
        } catch (SQLException e) {
            // Best effort at exit: a leftover test schema holds only test data.
        }
    }

    /**
     * One test's database: an empty schema that connections through {@code jdbcUrl} use.
     *
     * @param jdbcUrl  its JDBC URL
     * @param user     the user to connect as
     * @param password the password (empty for trust authentication)
     * @param schema   the schema the URL selects
     */
    public record Database(String jdbcUrl, String user, String password, String schema) {

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }
    }
}
