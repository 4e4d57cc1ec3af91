package dev.ferry.registry.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.ConflictException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import dev.ferry.registry.AliasEvent;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.json.RegistryJson;
import dev.ferry.registry.store.ArtifactStore;
import dev.ferry.registry.store.Registration;
import dev.ferry.registry.store.RegistryNames;
import dev.ferry.registry.store.VersionRefs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A registry whose metadata lives in PostgreSQL and whose artifacts live in a directory every
 * server can reach (a shared volume), content-addressed as in the file registry. Version
 * numbers and alias moves are decided in transactions that lock the model's row, so servers
 * sharing one database never hand out a number twice or lose an alias move. Use
 * {@link dev.ferry.registry.file.FileModelRegistry} for a single machine without a database.
 */
public final class PostgresModelRegistry implements ModelRegistry {

    private final DataSource dataSource;
    private final AutoCloseable owned;
    private final ArtifactStore artifacts;
    private final Clock clock;
    private final String where;

    private PostgresModelRegistry(DataSource dataSource, AutoCloseable owned, Path artifactDirectory, Clock clock, String where) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.artifacts = ArtifactStore.open(artifactDirectory);
        this.clock = clock;
        this.where = where;
    }

    /**
     * Connects to {@code jdbcUrl} with a connection pool the registry owns (closed by
     * {@link #close}), creates or migrates the tables, and keeps artifacts in
     * {@code artifactDirectory}.
     */
    public static PostgresModelRegistry open(String jdbcUrl, String user, String password, Path artifactDirectory) {
        return open(jdbcUrl, user, password, artifactDirectory, Clock.systemUTC());
    }

    public static PostgresModelRegistry open(String jdbcUrl, String user, String password, Path artifactDirectory, Clock clock) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(0);
        config.setPoolName("ferry-registry");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new UnavailableException("cannot connect to the registry database " + jdbcUrl + ": " + e.getMessage(), e);
        }
        try {
            return start(ds, ds, artifactDirectory, clock, jdbcUrl);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /** Uses a data source the caller owns (and closes). */
    public static PostgresModelRegistry open(DataSource dataSource, Path artifactDirectory, Clock clock) {
        return start(dataSource, null, artifactDirectory, clock, "the registry database");
    }

    private static PostgresModelRegistry start(DataSource ds, AutoCloseable owned, Path artifacts, Clock clock, String where) {
        try (Connection c = ds.getConnection()) {
            SchemaMigrations.migrate(c);
        } catch (SQLException e) {
            throw new UnavailableException("cannot create or migrate the registry tables in " + where + ": " + e.getMessage(), e);
        }
        return new PostgresModelRegistry(ds, owned, artifacts, clock, where);
    }

    @Override
    public ModelVersion register(RegisterRequest request) {
        try (Registration reg = Registration.validate(request, artifacts)) {
            return tx(c -> {
                Instant now = clock.instant();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_models (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                    ps.setString(1, request.name());
                    ps.setObject(2, time(now));
                    ps.executeUpdate();
                }
                lockModel(c, request.name());
                int next;
                try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(version), 0) + 1 FROM ferry_model_versions WHERE name = ?")) {
                    ps.setString(1, request.name());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        next = rs.getInt(1);
                    }
                }
                ModelVersion v = reg.commit(next, now);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO ferry_model_versions (name, version, sha256, created_at, record) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, v.name());
                    ps.setInt(2, v.version());
                    ps.setString(3, v.sha256());
                    ps.setObject(4, time(v.createdAt()));
                    ps.setString(5, new String(RegistryJson.writeVersion(v), StandardCharsets.UTF_8));
                    ps.executeUpdate();
                }
                return v;
            });
        }
    }

    @Override
    public List<String> models() {
        return tx(PostgresModelRegistry::modelNames);
    }

    @Override
    public List<ModelVersion> versions(String name) {
        RegistryNames.checkModel(name);
        List<ModelVersion> out = tx(c -> {
            List<ModelVersion> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT version, record FROM ferry_model_versions WHERE name = ? ORDER BY version")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(record(name, rs.getInt(1), rs.getString(2)));
                    }
                }
            }
            return list;
        });
        if (out.isEmpty()) {
            throw unknownModel(name);
        }
        return out;
    }

    @Override
    public ModelVersion version(String name, int version) {
        RegistryNames.checkModel(name);
        RegistryNames.checkVersion(version);
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT record FROM ferry_model_versions WHERE name = ? AND version = ?")) {
                ps.setString(1, name);
                ps.setInt(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return record(name, version, rs.getString(1));
                    }
                }
            }
            int last = lastVersion(c, name);
            if (last == 0) {
                throw unknownModel(c, name);
            }
            throw new NotFoundException("model '" + name + "' has no version " + version + "; its versions are 1 to " + last);
        });
    }

    @Override
    public ModelVersion resolve(String name, String versionOrAlias) {
        return VersionRefs.resolve(this, name, versionOrAlias);
    }

    @Override
    public Path artifact(ModelVersion version) {
        return artifacts.verify(version);
    }

    @Override
    public Map<String, Integer> aliases(String name) {
        RegistryNames.checkModel(name);
        return tx(c -> {
            requireModel(c, name);
            return currentAliases(c, name);
        });
    }

    @Override
    public AliasEvent setAlias(String name, String alias, int version, String actor, String reason) {
        RegistryNames.checkModel(name);
        RegistryNames.checkAlias(alias);
        RegistryNames.checkVersion(version);
        return tx(c -> {
            if (!lockModel(c, name)) {
                throw unknownModel(c, name);
            }
            int last = lastVersion(c, name);
            if (version > last) {
                throw new NotFoundException("model '" + name + "' has no version " + version + "; its versions are 1 to " + last);
            }
            Integer from = currentAliases(c, name).get(alias);
            if (from != null && from == version) {
                return lastEvent(c, name, alias);
            }
            return move(c, new AliasEvent(name, alias, from, version, actorOrUnknown(actor), now(), reason == null ? "" : reason));
        });
    }

    @Override
    public AliasEvent rollback(String name, String alias, String actor) {
        RegistryNames.checkModel(name);
        RegistryNames.checkAlias(alias);
        return tx(c -> {
            if (!lockModel(c, name)) {
                throw unknownModel(c, name);
            }
            AliasEvent last = lastEvent(c, name, alias);
            if (last.fromVersion() == null) {
                throw new ConflictException("alias '" + alias + "' of model '" + name + "' cannot be rolled back: it was created at version "
                        + last.toVersion() + " and has no previous version");
            }
            return move(c, new AliasEvent(name, alias, last.toVersion(), last.fromVersion(), actorOrUnknown(actor), now(), "rollback"));
        });
    }

    @Override
    public List<AliasEvent> aliasHistory(String name) {
        RegistryNames.checkModel(name);
        return tx(c -> {
            requireModel(c, name);
            List<AliasEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, alias, from_version, to_version, actor, at, reason FROM ferry_alias_events WHERE name = ? ORDER BY id")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(event(rs));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new UnavailableException("cannot close the registry's connection pool: " + e.getMessage(), e);
            }
        }
    }

    // ---- SQL helpers ---------------------------------------------------------------------

    private AliasEvent move(Connection c, AliasEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_aliases (name, alias, version) VALUES (?, ?, ?) "
                + "ON CONFLICT (name, alias) DO UPDATE SET version = EXCLUDED.version")) {
            ps.setString(1, e.model());
            ps.setString(2, e.alias());
            ps.setInt(3, e.toVersion());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_alias_events (name, alias, from_version, to_version, actor, at, reason) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, e.model());
            ps.setString(2, e.alias());
            setNullableInt(ps, 3, e.fromVersion());
            setNullableInt(ps, 4, e.toVersion());
            ps.setString(5, e.actor());
            ps.setObject(6, time(e.at()));
            ps.setString(7, e.reason());
            ps.executeUpdate();
        }
        return e;
    }

    private AliasEvent lastEvent(Connection c, String name, String alias) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, alias, from_version, to_version, actor, at, reason FROM ferry_alias_events "
                + "WHERE name = ? AND alias = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, name);
            ps.setString(2, alias);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return event(rs);
                }
            }
        }
        throw new NotFoundException("model '" + name + "' has no alias '" + alias + "' (its aliases: " + currentAliases(c, name).keySet() + ")");
    }

    private static Map<String, Integer> currentAliases(Connection c, String name) throws SQLException {
        Map<String, Integer> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT alias, version FROM ferry_aliases WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Locks the model's row for the rest of the transaction; false when the model does not exist. */
    private static boolean lockModel(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM ferry_models WHERE name = ? FOR UPDATE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int lastVersion(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(version), 0) FROM ferry_model_versions WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void requireModel(Connection c, String name) throws SQLException {
        if (lastVersion(c, name) == 0) {
            throw unknownModel(c, name);
        }
    }

    private static List<String> modelNames(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT m.name FROM ferry_models m WHERE EXISTS (SELECT 1 FROM ferry_model_versions v WHERE v.name = m.name) ORDER BY m.name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        Collections.sort(out);
        return out;
    }

    private NotFoundException unknownModel(String name) {
        return unknownModel(name, models());
    }

    /** Inside a transaction: lists the known models on the same connection, never taking a second one from the pool. */
    private NotFoundException unknownModel(Connection c, String name) throws SQLException {
        return unknownModel(name, modelNames(c));
    }

    private NotFoundException unknownModel(String name, List<String> known) {
        return new NotFoundException("model '" + name + "' is not registered in " + where
                + (known.isEmpty() ? " (the registry is empty)" : " (models: " + known + ")"));
    }

    private ModelVersion record(String name, int version, String json) {
        return RegistryJson.readVersion(json.getBytes(StandardCharsets.UTF_8), "ferry_model_versions row " + name + "@" + version + " in " + where);
    }

    private static AliasEvent event(ResultSet rs) throws SQLException {
        return new AliasEvent(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3), (Integer) rs.getObject(4), rs.getString(5),
                rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7));
    }

    private static void setNullableInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static OffsetDateTime time(Instant i) {
        return OffsetDateTime.ofInstant(i.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static String actorOrUnknown(String actor) {
        return actor == null || actor.isBlank() ? "unknown" : actor;
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction; a Ferry exception rolls back and passes through. */
    private <T> T tx(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new UnavailableException("the registry database " + where + " failed: " + e.getMessage(), e);
        }
    }
}
