package dev.ferry.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutExtensionTest {

    @Test
    void settingsDefaultToTheDataDirAndTenSecondChecks() {
        RolloutExtension.Settings s = RolloutExtension.Settings.fromEnvironment(Map.of("FERRY_ROLLOUT_OWNER", "a"));
        assertThat(s.postgresUrl()).isEmpty();
        assertThat(s.checkEvery()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.leaseTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.owner()).isEqualTo("a");
    }

    @Test
    void aPostgresRegistryIsTheDefaultStoreWithItsCredentials() {
        RolloutExtension.Settings s = RolloutExtension.Settings.fromEnvironment(Map.of("FERRY_REGISTRY", "jdbc:postgresql://db/ferry",
                "FERRY_REGISTRY_USER", "u", "FERRY_REGISTRY_PASSWORD", "p", "FERRY_ROLLOUT_OWNER", "a"));
        assertThat(s.postgresUrl()).contains("jdbc:postgresql://db/ferry");
        assertThat(s.user()).isEqualTo("u");
    }

    @Test
    void badSettingsAreAllReportedNamingTheVariable() {
        assertThatThrownBy(() -> RolloutExtension.Settings.fromEnvironment(Map.of("FERRY_ROLLOUT_STORE", "mysql://x",
                "FERRY_ROLLOUT_CHECK_SECONDS", "often", "FERRY_ROLLOUT_LEASE_SECONDS", "0")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("FERRY_ROLLOUT_STORE was 'mysql://x'")
                .hasMessageContaining("FERRY_ROLLOUT_CHECK_SECONDS was 'often'")
                .hasMessageContaining("FERRY_ROLLOUT_LEASE_SECONDS was '0'");
    }
}
