package dev.ferry.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.FileProfiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NannyML's California housing reference and analysis periods (real drift over time). Expected
 * values were computed with scipy 1.17.1 ({@code ks_2samp(method='asymp')}, whose finite-n
 * distribution Ferry approximates by the limiting one as Commons Math does, hence 0.01 on p;
 * {@code wasserstein_distance / np.std(reference)}, {@code jensenshannon} base 2 over
 * {@code np.histogram_bin_edges(..., 'sturges')} of both periods).
 */
@Tag("conformance")
class CaliforniaDriftConformanceTest {

    static final Path DATA = Path.of(System.getProperty("ferry.shared.data", "../shared/data"), "nannyml-california").toAbsolutePath();
    static final Set<String> NOT_FEATURES = Set.of("id", "timestamp", "clf_target", "y_pred");

    /** feature -> {KS D, KS p, normalized Wasserstein, Jensen-Shannon}, from scipy. */
    static final Map<String, double[]> SCIPY = Map.of(
            "MedInc", new double[] {0.06874657564377895, 1.7892834013325982e-14, 0.15753733680687249, 0.08094166951528285},
            "HouseAge", new double[] {0.08675369030622243, 8.354365131010162e-23, 0.1785648209398319, 0.14838487935546646},
            "AveRooms", new double[] {0.06530472271213011, 4.212183344912176e-13, 0.0827668802573776, 0.0534553425380526},
            "AveBedrms", new double[] {0.013950877235079817, 0.5151897657792857, 0.0352040007812698, 0.029675422158398013},
            "Population", new double[] {0.02111902962243095, 0.09380662873566337, 0.04341135431844789, 0.023703827752204514},
            "AveOccup", new double[] {0.08379224705755317, 2.6622013043037345e-21, 0.23571410508346613, 0.01349961845394313},
            "Latitude", new double[] {0.5070241794542626, 0.0, 1.1244579951579723, 0.6326936506162136},
            "Longitude", new double[] {0.5122936887865082, 0.0, 1.243107242081922, 0.692210068749646},
            "y_pred_proba", new double[] {0.2478249089171236, 3.508801525155141e-185, 0.5313243748595077, 0.25771991010460765});

    static Samples samples(String file) throws IOException {
        List<String> lines = Files.readAllLines(DATA.resolve(file));
        List<String> header = List.of(lines.get(0).split(","));
        Samples.Builder b = Samples.builder();
        for (String f : SCIPY.keySet()) {
            int col = header.indexOf(f);
            b.numeric(f, lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[col])).toArray());
        }
        return b.build();
    }

    static DatasetProfile profile(String file) {
        Set<String> exclude = new java.util.HashSet<>(NOT_FEATURES);
        return FileProfiler.profile(DATA.resolve(file), exclude, n -> { });
    }

    @Test
    void exactStatisticsMatchScipy() throws IOException {
        Samples ref = samples("california_housing_reference.csv");
        Samples cur = samples("california_housing_analysis.csv");
        for (DriftMethod m : List.of(DriftMethod.KS, DriftMethod.WASSERSTEIN, DriftMethod.JENSEN_SHANNON)) {
            DriftReport r = DriftDetector.builder().defaultMethod(m).build().compare(ref, cur);
            for (FeatureDrift f : r.features()) {
                double[] s = SCIPY.get(f.feature());
                double expected = switch (m) {
                    case KS -> s[1];
                    case WASSERSTEIN -> s[2];
                    default -> s[3];
                };
                assertThat(f.statistic()).as("%s %s", m, f.feature()).isCloseTo(expected, within(m == DriftMethod.KS ? 0.01 : 1e-9));
            }
        }
    }

    @Test
    void defaultVerdictsFindTheDriftThatIsThere() throws IOException {
        DriftReport r = DriftDetector.builder().predictionColumn("y_pred_proba").build()
                .compare(samples("california_housing_reference.csv"), samples("california_housing_analysis.csv"));
        assertThat(r.features()).allMatch(f -> f.method() == DriftMethod.WASSERSTEIN);
        assertThat(r.features()).filteredOn(FeatureDrift::drifted).extracting(FeatureDrift::feature)
                .containsExactlyInAnyOrder("MedInc", "HouseAge", "AveOccup", "Latitude", "Longitude");
        assertThat(r.prediction().orElseThrow().drifted()).isTrue();
        assertThat(r.driftedShare()).isEqualTo(5.0 / 8);
        assertThat(r.datasetDrifted()).isTrue();
    }

    /**
     * Sketch-based statistics give the same verdict as the exact ones and stay within 0.02 plus 5%
     * (Wasserstein) or 15% (binned PSI and Jensen-Shannon: the t-digest interpolates some mass
     * into the gaps of a multimodal feature such as Longitude) of them. A PSI above 1
     * is dominated by bins empty on one side, where the exact value depends on the fill share and
     * the sketch's on its interpolation; there only the verdict is compared.
     */
    @Test
    void profilesApproximateTheExactStatistics() throws IOException {
        DatasetProfile refP = profile("california_housing_reference.csv");
        DatasetProfile curP = profile("california_housing_analysis.csv");
        Samples ref = samples("california_housing_reference.csv");
        Samples cur = samples("california_housing_analysis.csv");
        for (DriftMethod m : List.of(DriftMethod.WASSERSTEIN, DriftMethod.PSI, DriftMethod.JENSEN_SHANNON)) {
            DriftDetector d = DriftDetector.builder().defaultMethod(m).build();
            DriftReport exact = d.compare(ref, cur);
            DriftReport approx = d.compare(refP, curP);
            for (FeatureDrift e : exact.features()) {
                FeatureDrift a = approx.feature(e.feature()).orElseThrow();
                if (m != DriftMethod.PSI || e.statistic() < 1) {
                    assertThat(a.statistic()).as("%s %s", m, e.feature()).isCloseTo(e.statistic(), within(0.02 + (m == DriftMethod.WASSERSTEIN ? 0.05 : 0.15) * e.statistic()));
                }
                assertThat(a.drifted()).as("%s %s", m, e.feature()).isEqualTo(e.drifted());
            }
        }
        DriftReport ksExact = DriftDetector.builder().defaultMethod(DriftMethod.KS).build().compare(ref, cur);
        DriftReport ksApprox = DriftDetector.builder().defaultMethod(DriftMethod.KS).build().compare(refP, curP);
        for (FeatureDrift e : ksExact.features()) {
            assertThat(ksApprox.feature(e.feature()).orElseThrow().drifted()).as("KS %s", e.feature()).isEqualTo(e.drifted());
        }
    }
}
