package dev.ferry.registry.postgres;

import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates or upgrades the registry tables at start. Each schema version is one SQL script
 * applied in a transaction under an advisory lock, so servers starting together migrate once;
 * a database whose schema is newer than this code is refused rather than misread.
 */
final class SchemaMigrations {

    /** Scripts in order; script i brings the schema to version i + 1. */
    static final List<String> SCRIPTS = List.of("V1__registry.sql");
    static final int LATEST = SCRIPTS.size();

    /** An arbitrary constant naming the registry's migration lock among advisory locks. */
    private static final long LOCK_KEY = 0x46455252595247L;

    private SchemaMigrations() {
    }

    static int migrate(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            s.execute("CREATE TABLE IF NOT EXISTS ferry_registry_schema (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            int current;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM ferry_registry_schema")) {
                rs.next();
                current = rs.getInt(1);
            }
            if (current > LATEST) {
                throw new InvalidInputException("the registry database has schema version " + current + " but this Ferry knows only versions up to "
                        + LATEST + "; it was upgraded by a newer Ferry");
            }
            for (int v = current + 1; v <= LATEST; v++) {
                s.execute(script(SCRIPTS.get(v - 1)));
                s.execute("INSERT INTO ferry_registry_schema (version) VALUES (" + v + ")");
            }
            c.commit();
            return LATEST;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static String script(String name) {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnavailableException("cannot read the migration script " + name + ": " + e.getMessage(), e);
        }
    }
}
