package dev.ferry.monitoring.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.InvalidInputException;
import dev.ferry.types.FeatureType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles the NannyML California housing reference period (../shared/data/nannyml-california). */
@Tag("conformance")
class FileProfilerConformanceTest {

    static final Path DATA = Path.of(System.getProperty("ferry.shared.data", "../shared/data"), "nannyml-california").toAbsolutePath();

    @Test
    void profilesACsvFileWithTheColumnTypesDuckDbReads() throws IOException {
        AtomicLong progress = new AtomicLong();
        Path csv = DATA.resolve("california_housing_reference.csv");
        DatasetProfile p = FileProfiler.profile(csv, Set.of("id"), progress::set);
        List<String> lines = Files.readAllLines(csv);
        assertThat(p.rowCount()).isEqualTo(lines.size() - 1);
        assertThat(progress.get()).isEqualTo(lines.size() - 1);
        assertThat(p.names()).doesNotContain("id", "timestamp").contains("MedInc", "clf_target", "y_pred");
        assertThat(p.feature("MedInc").orElseThrow().type()).isEqualTo(FeatureType.FLOAT64);
        assertThat(p.feature("y_pred").orElseThrow().type()).isEqualTo(FeatureType.INT64);
        int col = List.of(lines.get(0).split(",")).indexOf("MedInc");
        double mean = lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[col])).average().orElseThrow();
        assertThat(p.feature("MedInc").orElseThrow().numeric().orElseThrow().mean()).isCloseTo(mean, within(1e-9));
        assertThat(p.feature("y_pred").orElseThrow().frequentValues().keySet()).containsExactlyInAnyOrder("0", "1");
    }

    @Test
    void aFileThatIsNeitherParquetNorCsvIsRefused(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("data.json"), "{}");
        assertThatThrownBy(() -> FileProfiler.profile(f, Set.of(), n -> { })).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must end in .parquet");
    }
}
