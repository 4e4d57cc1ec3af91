package dev.ferry.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.model.InputLayout;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * Models trained here with Tribuo and exported by Tribuo's own ONNX writer, served through
 * Ferry, and compared with Tribuo's predictions on the same rows. Tribuo predicts in double
 * precision from double weights; the ONNX graph holds float32 weights and ONNX Runtime computes
 * in float32, so the two agree to float32 precision (1e-6), not bit for bit.
 */
class TribuoExportTest {

    private static final String[] FEATURES = {"alpha", "beta", "gamma"};
    private static final double FLOAT32_AGREEMENT = 1e-6;

    @TempDir
    Path dir;

    @Test
    void aTribuoLogisticRegressionGivesTheSameProbabilitiesThroughFerry() throws Exception {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("blobs", factory), factory);
        Random rnd = new Random(7);
        String[] classes = {"north", "east", "south"};
        double[][] centres = {{0, 2, 1}, {2, 0, -1}, {-2, -1, 0}};
        for (int i = 0; i < 240; i++) {
            int c = i % 3;
            double[] x = new double[3];
            for (int j = 0; j < 3; j++) {
                x[j] = centres[c][j] + rnd.nextGaussian();
            }
            data.add(new ArrayExample<>(new Label(classes[c]), FEATURES, x));
        }
        var trainer = new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5), 5, 1L);
        org.tribuo.Model<Label> tribuo = trainer.train(data);
        Path file = dir.resolve("logreg.onnx");
        ((ONNXExportable) tribuo).saveONNXModel("dev.ferry.test", 1, file);

        List<double[]> rows = testRows(new Random(11), 25, 3);
        try (dev.ferry.model.Model ferry = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file, signature(tribuo, file)))) {
            String output = ferry.signature().outputs().get(0).name();
            List<Row> predicted = ferry.predictRows(toRows(rows));
            int k = tribuo.getOutputIDInfo().size();
            for (int r = 0; r < rows.size(); r++) {
                Prediction<Label> expected = tribuo.predict(example(new Label("unknown"), rows.get(r)));
                float[] p = (float[]) predicted.get(r).get(output);
                assertThat(p).hasSize(k);
                for (int c = 0; c < k; c++) {
                    String label = tribuo.getOutputIDInfo().getOutput(c).getLabel();
                    assertThat((double) p[c]).as("row %d class %s", r, label)
                            .isCloseTo(expected.getOutputScores().get(label).getScore(), within(FLOAT32_AGREEMENT));
                }
            }
        }
    }

    @Test
    void aTribuoLinearRegressionGivesTheSamePredictionsThroughFerry() throws Exception {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(new SimpleDataSourceProvenance("plane", factory), factory);
        Random rnd = new Random(3);
        for (int i = 0; i < 200; i++) {
            double[] x = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            double y = 3 * x[0] - 2 * x[1] + 0.5 * x[2] + 1 + 0.1 * rnd.nextGaussian();
            data.add(new ArrayExample<>(new Regressor("y", y), FEATURES, x));
        }
        var trainer = new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.3), 10, 5L);
        org.tribuo.Model<Regressor> tribuo = trainer.train(data);
        Path file = dir.resolve("linreg.onnx");
        ((ONNXExportable) tribuo).saveONNXModel("dev.ferry.test", 1, file);

        List<double[]> rows = testRows(new Random(12), 30, 3);
        try (dev.ferry.model.Model ferry = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            ModelSignature sig = ferry.signature();
            assertThat(sig.layout()).isEqualTo(InputLayout.PACKED);
            assertThat(sig.features()).hasSize(3);
            TensorSpec in = sig.inputs().get(0);
            float[] packed = new float[rows.size() * 3];
            for (int r = 0; r < rows.size(); r++) {
                for (String f : FEATURES) {
                    packed[r * 3 + tribuo.getFeatureIDMap().getID(f)] = (float) rows.get(r)[indexOf(f)];
                }
            }
            Tensor out = ferry.predict(Map.of(in.name(), Tensor.ofFloats(in.name(), new long[] {rows.size(), 3}, packed)))
                    .get(sig.outputs().get(0).name());
            assertThat(out.shape()[0]).isEqualTo(rows.size());
            for (int r = 0; r < rows.size(); r++) {
                double expected = tribuo.predict(example(new Regressor("y", Double.NaN), rows.get(r))).getOutput().getValues()[0];
                assertThat(out.getDouble(r)).as("row %d", r).isCloseTo(expected, within(FLOAT32_AGREEMENT * Math.max(1, Math.abs(expected))));
            }
        }
    }

    /** The claimed signature: Tribuo's feature names in the column order of its feature map. */
    private static ModelSignature signature(org.tribuo.Model<?> tribuo, Path file) {
        ModelSignature artifact;
        try (dev.ferry.model.Model plain = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            artifact = plain.signature();
        }
        List<Field> fields = new ArrayList<>();
        for (int id = 0; id < FEATURES.length; id++) {
            fields.add(Field.of(tribuo.getFeatureIDMap().get(id).getName(), FeatureType.FLOAT32));
        }
        TensorSpec in = artifact.inputs().get(0);
        return new ModelSignature(fields, InputLayout.PACKED, List.of(TensorSpec.of(in.name(), ScalarType.FLOAT32, -1, 3)),
                List.of(), Map.of());
    }

    private static List<double[]> testRows(Random rnd, int n, int width) {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[width];
            for (int j = 0; j < width; j++) {
                // values exactly representable in float32, so both sides see the same inputs
                x[j] = (float) (rnd.nextGaussian() * 2);
            }
            rows.add(x);
        }
        return rows;
    }

    private static List<Row> toRows(List<double[]> rows) {
        List<Row> out = new ArrayList<>();
        for (double[] x : rows) {
            out.add(Row.of(FEATURES[0], (float) x[0], FEATURES[1], (float) x[1], FEATURES[2], (float) x[2]));
        }
        return out;
    }

    private static <T extends org.tribuo.Output<T>> Example<T> example(T output, double[] x) {
        return new ArrayExample<>(output, FEATURES, x);
    }

    private static int indexOf(String feature) {
        for (int i = 0; i < FEATURES.length; i++) {
            if (FEATURES[i].equals(feature)) {
                return i;
            }
        }
        throw new IllegalArgumentException(feature);
    }
}
