package dev.ferry.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.testing.ModelRegistryContract;
import dev.ferry.testkit.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class PostgresModelRegistryTest extends ModelRegistryContract {

    private PostgresServer.Database db;

    /** This test's own database, created when the contract first opens a registry. */
    private PostgresServer.Database db() {
        if (db == null) {
            db = PostgresServer.shared().newDatabase();
        }
        return db;
    }

    @Override
    protected ModelRegistry openRegistry(Clock clock) {
        return PostgresModelRegistry.open(db().jdbcUrl(), db().user(), db().password(), artifactRoot(), clock);
    }

    private Path artifactRoot() {
        return work.resolve("shared-artifacts");
    }

    @Override
    protected Path artifactDirectory() {
        return artifactRoot().resolve("sha256");
    }

    @Test
    void theSchemaVersionIsRecordedOnceEvenWhenSeveralInstancesStart() throws SQLException {
        open();
        open();
        try (Connection c = db().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM ferry_registry_schema ORDER BY version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(SchemaMigrations.LATEST);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void aDatabaseMigratedByANewerFerryIsRefused() throws SQLException {
        try (Connection c = db().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO ferry_registry_schema (version) VALUES (" + (SchemaMigrations.LATEST + 1) + ")");
        }

        assertThatThrownBy(this::open).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("schema version " + (SchemaMigrations.LATEST + 1))
                .hasMessageContaining("up to " + SchemaMigrations.LATEST);
    }

    @Test
    void aVersionRowFromANewerFerryIsRefusedNamingFoundAndExpected() throws SQLException {
        registerLinear("credit");
        try (Connection c = db().connect(); Statement s = c.createStatement()) {
            s.execute("UPDATE ferry_model_versions SET record = replace(record, '\"formatVersion\" : 1', '\"formatVersion\" : 5')");
        }

        assertThatThrownBy(() -> registry.version("credit", 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("credit@1").hasMessageContaining("formatVersion 5").hasMessageContaining("only formatVersion 1");
    }
}
