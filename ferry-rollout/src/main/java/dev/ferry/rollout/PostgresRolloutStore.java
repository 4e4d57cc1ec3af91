package dev.ferry.rollout;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.ConflictException;
import dev.ferry.UnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Rollouts in PostgreSQL, for several servers sharing one database (usually the registry's).
 * One row per rollout holds its JSON state, its revision and its lease: updates are
 * compare-and-set on the revision, and the lease is taken with one conditional {@code UPDATE},
 * so exactly one server drives a rollout and another takes over once the lease expires. A
 * partial unique index keeps one active rollout per deployment.
 */
public final class PostgresRolloutStore implements RolloutStore {

    /** An arbitrary constant naming the rollout tables' creation lock among advisory locks. */
    private static final long LOCK_KEY = 0x46455252594c4f55L;

    private final DataSource dataSource;
    private final AutoCloseable owned;

    private PostgresRolloutStore(DataSource dataSource, AutoCloseable owned) {
        this.dataSource = dataSource;
        this.owned = owned;
    }

    /** Connects with a small pool the store owns, and creates its table if needed. */
    public static PostgresRolloutStore open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setPoolName("ferry-rollout");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new UnavailableException("cannot connect to the rollout database " + jdbcUrl + ": " + e.getMessage(), e);
        }
        try {
            return start(ds, ds);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /** Uses a data source the caller owns (and closes). */
    public static PostgresRolloutStore open(DataSource dataSource) {
        return start(dataSource, null);
    }

    private static PostgresRolloutStore start(DataSource ds, AutoCloseable owned) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                s.execute("CREATE TABLE IF NOT EXISTS ferry_rollouts (id TEXT PRIMARY KEY, deployment TEXT NOT NULL, "
                        + "active BOOLEAN NOT NULL, revision BIGINT NOT NULL, state TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, "
                        + "lease_owner TEXT, lease_until TIMESTAMPTZ)");
                s.execute("CREATE UNIQUE INDEX IF NOT EXISTS ferry_rollouts_one_active ON ferry_rollouts (deployment) WHERE active");
                s.execute("CREATE TABLE IF NOT EXISTS ferry_rollout_traffic (id TEXT NOT NULL, owner TEXT NOT NULL, stage TEXT NOT NULL, "
                        + "at TIMESTAMPTZ NOT NULL, report TEXT NOT NULL, PRIMARY KEY (id, owner))");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new UnavailableException("cannot create the rollout table: " + e.getMessage(), e);
        }
        return new PostgresRolloutStore(ds, owned);
    }

    @Override
    public RolloutState create(RolloutState state) {
        RolloutState stored = state.withRevision(1);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_rollouts (id, deployment, active, revision, state, created_at) "
                     + "VALUES (?, ?, ?, 1, ?, ?)")) {
            ps.setString(1, state.id());
            ps.setString(2, state.plan().deployment());
            ps.setBoolean(3, !state.stage().terminal());
            ps.setString(4, RolloutJson.write(stored).toString());
            ps.setObject(5, OffsetDateTime.ofInstant(state.createdAt(), ZoneOffset.UTC));
            ps.executeUpdate();
            return stored;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new ConflictException("deployment '" + state.plan().deployment() + "' already has an active rollout (or rollout '"
                        + state.id() + "' exists); abort it or wait for it to end");
            }
            throw unavailable(e);
        }
    }

    @Override
    public Optional<RolloutState> get(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT state FROM ferry_rollouts WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(RolloutJson.read(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<RolloutState> list() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT state FROM ferry_rollouts ORDER BY created_at DESC, id DESC");
             ResultSet rs = ps.executeQuery()) {
            List<RolloutState> out = new ArrayList<>();
            while (rs.next()) {
                out.add(RolloutJson.read(rs.getString(1)));
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<RolloutState> update(RolloutState next) {
        RolloutState stored = next.withRevision(next.revision() + 1);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE ferry_rollouts SET state = ?, revision = ?, active = ? "
                     + "WHERE id = ? AND revision = ?")) {
            ps.setString(1, RolloutJson.write(stored).toString());
            ps.setLong(2, stored.revision());
            ps.setBoolean(3, !stored.stage().terminal());
            ps.setString(4, next.id());
            ps.setLong(5, next.revision());
            return ps.executeUpdate() == 1 ? Optional.of(stored) : Optional.empty();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean lease(String id, String owner, Instant now, Duration ttl) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE ferry_rollouts SET lease_owner = ?, lease_until = ? WHERE id = ? "
                     + "AND (lease_owner IS NULL OR lease_owner = ? OR lease_until <= ?)")) {
            ps.setString(1, owner);
            ps.setObject(2, OffsetDateTime.ofInstant(now.plus(ttl), ZoneOffset.UTC));
            ps.setString(3, id);
            ps.setString(4, owner);
            ps.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void release(String id, String owner) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE ferry_rollouts SET lease_owner = NULL, lease_until = NULL "
                     + "WHERE id = ? AND lease_owner = ?")) {
            ps.setString(1, id);
            ps.setString(2, owner);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void report(String id, TrafficReport report) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_rollout_traffic (id, owner, stage, at, report) VALUES (?, ?, ?, ?, ?) "
                     + "ON CONFLICT (id, owner) DO UPDATE SET stage = EXCLUDED.stage, at = EXCLUDED.at, report = EXCLUDED.report")) {
            ps.setString(1, id);
            ps.setString(2, report.owner());
            ps.setString(3, report.stage());
            ps.setObject(4, OffsetDateTime.ofInstant(report.at(), ZoneOffset.UTC));
            ps.setString(5, RolloutJson.writeReport(report));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<TrafficReport> reports(String id, String stage, Instant since) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT report FROM ferry_rollout_traffic WHERE id = ? AND stage = ? AND at >= ?")) {
            ps.setString(1, id);
            ps.setString(2, stage);
            ps.setObject(3, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            List<TrafficReport> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(RolloutJson.readReport(rs.getString(1)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static UnavailableException unavailable(SQLException e) {
        return new UnavailableException("the rollout database failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new UnavailableException("closing the rollout database pool failed: " + e.getMessage(), e);
            }
        }
    }
}
