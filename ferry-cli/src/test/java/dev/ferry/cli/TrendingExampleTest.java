package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.ErrorKind;
import dev.ferry.types.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands of examples/trending/README.md, run in order: the trending answers scored by
 * {@code ferry score} from an offline-store query and read back with {@code ferry features get}
 * (the read API behind {@code /v1/features}) equal XGBoost4J's own predictions for the latest
 * snapshot of each product; a second run publishes version 2 and a rollback serves version 1 again.
 */
class TrendingExampleTest {

    static final Path EXAMPLE = Path.of("..", "examples", "trending");
    static final String QUERY = "SELECT product_id, views_1h, views_24h, carts_24h, price, days_listed FROM product_activity"
            + " QUALIFY row_number() OVER (PARTITION BY product_id ORDER BY event_timestamp DESC) = 1 ORDER BY product_id";

    @TempDir
    Path dir;

    @Test
    void theCommittedDataIsWhatTheSeededGeneratorMakes() throws Exception {
        assertThat(Files.readString(EXAMPLE.resolve("data/product_activity.csv"))).isEqualTo(TrendingExampleFiles.activityCsv());
    }

    static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    @Test
    void theReadmeCommandsPublishTrendingAnswersThatMatchXGBoostAndRollBack() throws Exception {
        String data = dir.resolve("ferry").toString();
        ok("features", "apply", "--data-dir", data, EXAMPLE.resolve("features.yaml").toString());
        ok("models", "register", "--data-dir", data, "trending", EXAMPLE.resolve("trending-model.json").toString(),
                "--golden-inputs", EXAMPLE.resolve("golden-inputs.csv").toString(),
                "--golden-expected", EXAMPLE.resolve("golden-expected.csv").toString());
        ok("models", "alias", "--data-dir", data, "trending", "champion", "1");

        CliRun scored = ok("score", "--data-dir", data, "--model", "trending", "--ref", "champion", "--sql", QUERY,
                "--key", "product_id", "--online-view", "trending_products");
        assertThat(scored.out()).contains("scored " + TrendingExampleFiles.PRODUCTS + " rows").contains("trending_products@1");

        List<Integer> products = List.of(1, 2, 150, 300);
        List<String> args = new ArrayList<>(List.of("features", "get", "--data-dir", data, "--features", "trending_products:probabilities"));
        products.forEach(p -> args.addAll(List.of("--entity", "product_id=" + p)));
        List<OnlineGet> got = OnlineGet.parse(ok(args.toArray(String[]::new)).out());
        float[] expected = TrendingExampleFiles.predict(Files.readAllBytes(EXAMPLE.resolve("trending-model.json")), latest(products));
        for (int i = 0; i < products.size(); i++) {
            OnlineGet g = OnlineGet.find(got, "product_id=" + products.get(i), "probabilities");
            assertThat(g.status()).isEqualTo("PRESENT");
            double[] p = Arrays.stream(g.value().replace("[", "").replace("]", "").split(",")).mapToDouble(Double::parseDouble).toArray();
            assertThat(p[1]).as("product %d", products.get(i)).isCloseTo(expected[i], within(1e-6));
        }

        ok("score", "--data-dir", data, "--model", "trending", "--sql", QUERY, "--key", "product_id", "--online-view", "trending_products");
        assertThat(ok("score", "versions", "--data-dir", data, "trending_products").out())
                .contains("serves trending_products@2").contains("retained versions [1, 2]");
        assertThat(ok("score", "rollback", "--data-dir", data, "trending_products").out()).contains("now serves trending_products@1");

        CliRun once = ok("schedule", "--data-dir", data, "--once", EXAMPLE.resolve("schedule.yaml").toString());
        assertThat(once.out()).contains("schedule trending_products: 0 */2 * * *").contains("next run at");
    }

    @Test
    void scoreRefusesAMissingOrDoubleSourceNamingTheOptions() {
        CliRun none = CliRun.of("score", "--data-dir", dir.toString(), "--model", "trending", "--output", dir.resolve("x.parquet").toString());
        assertThat(none.code()).isEqualTo(ErrorKind.INVALID_INPUT.exitCode());
        assertThat(none.err()).contains("exactly one of --parquet, --csv, --sql or --postgres-table");
        CliRun bad = CliRun.of("score", "--data-dir", dir.toString(), "--model", "trending", "--csv", "x.csv", "--bad-rows", "ignore");
        assertThat(bad.code()).isEqualTo(ErrorKind.INVALID_INPUT.exitCode());
    }

    /** The latest snapshot of each product, read from the committed CSV in plain Java. */
    static List<Row> latest(List<Integer> products) throws Exception {
        Map<Integer, Row> last = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(EXAMPLE.resolve("data/product_activity.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("views_1h", Long.parseLong(c[2]));
            m.put("views_24h", Long.parseLong(c[3]));
            m.put("carts_24h", Long.parseLong(c[4]));
            m.put("price", Double.parseDouble(c[5]));
            m.put("days_listed", Long.parseLong(c[6]));
            last.put(Integer.parseInt(c[0]), new Row(m));
        }
        return products.stream().map(last::get).toList();
    }
}
