package dev.ferry.features;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real PostgreSQL for tests: the server named by {@code FERRY_TEST_POSTGRES} (a JDBC URL) if
 * set, else an embedded one on a random port. PostgreSQL refuses to run as root, so as root the
 * locally installed server is started as the {@code postgres} user instead of the embedded one.
 */
final class TestPostgres implements AutoCloseable {

    private final String jdbcUrl;
    private final AutoCloseable stop;

    private TestPostgres(String jdbcUrl, AutoCloseable stop) {
        this.jdbcUrl = jdbcUrl;
        this.stop = stop;
    }

    static TestPostgres start(Path tmp) throws Exception {
        String env = System.getenv("FERRY_TEST_POSTGRES");
        if (env != null && !env.isBlank()) {
            return new TestPostgres(env, () -> { });
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            EmbeddedPostgres pg = EmbeddedPostgres.start();
            return new TestPostgres(pg.getJdbcUrl("postgres", "postgres"), pg);
        }
        return startAsPostgresUser(tmp);
    }

    private static TestPostgres startAsPostgresUser(Path tmp) throws Exception {
        Path home = Files.createTempDirectory(tmp, "pg");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path data = home.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        run("initdb", "-D", data.toString(), "-U", "postgres", "--auth=trust", "--no-sync");
        run("pg_ctl", "-D", data.toString(), "-w", "-l", home.resolve("log").toString(),
                "-o", "-p " + port + " -h 127.0.0.1 -k " + home + " -F", "start");
        return new TestPostgres("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres",
                () -> run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(Arrays.asList(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    @Override
    public void close() throws Exception {
        stop.close();
    }
}
