package dev.ferry.registry.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.ValidationFailedException;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.registry.store.RegistryModels;
import dev.ferry.registry.testing.LinearModels;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import dev.ferry.types.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowImporterTest {

    /** Shaped like the MLmodel files mlflow.lightgbm.log_model writes for a Booster (MLflow 2.x). */
    private static final String LIGHTGBM_MLMODEL = """
            artifact_path: model
            flavors:
              lightgbm:
                code: null
                data: model.lgb
                lgb_version: 4.3.0
                model_class: lightgbm.basic.Booster
              python_function:
                data: model.lgb
                env:
                  conda: conda.yaml
                  virtualenv: python_env.yaml
                loader_module: mlflow.lightgbm
                python_version: 3.11.9
            mlflow_version: 2.16.2
            model_size_bytes: 1234
            model_uuid: 3f2a9c0d41b84e6f9a1b2c3d4e5f6a7b
            run_id: 8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f
            saved_input_example_info:
              artifact_path: input_example.json
              pandas_orient: split
              serving_input_path: serving_input_example.json
              type: dataframe
            signature:
              inputs: '[{"type": "double", "name": "sepal length (cm)", "required": true}, {"type": "double", "name": "petal width (cm)", "required": false}]'
              outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'
              params: null
            utc_time_created: '2024-09-30 12:01:02.123456'
            """;

    @TempDir
    Path work;

    private Path lightgbmDir(String mlmodel, String example) throws IOException {
        Path dir = Files.createDirectories(work.resolve("mlruns/model"));
        Files.writeString(dir.resolve("MLmodel"), mlmodel);
        // score = 0.5 + 2 * sepal_length - 1 * petal_width
        LinearModels.write(dir.resolve("model.lgb"), List.of("f0", "f1"), 0.5, 2.0, -1.0);
        if (example != null) {
            Files.writeString(dir.resolve("input_example.json"), example);
        }
        return dir;
    }

    @Test
    void aBoosterWithAColumnSignatureAndASplitExampleBecomesARequest() throws IOException {
        Path dir = lightgbmDir(LIGHTGBM_MLMODEL, """
                {"columns": ["sepal length (cm)", "petal width (cm)"], "data": [[5.1, 0.2], [6.3, 1.8]]}""");

        RegisterRequest req = MlflowImporter.importRequest(dir, "iris", "alice", null);

        assertThat(req.format()).isEqualTo(ModelFormat.LIGHTGBM);
        assertThat(req.artifact()).isEqualTo(dir.resolve("model.lgb"));
        assertThat(req.signature()).isPresent();
        assertThat(req.signature().get().features()).containsExactly(
                Field.required("sepal_length_cm", FeatureType.FLOAT64), Field.of("petal_width_cm", FeatureType.FLOAT64));
        assertThat(req.golden()).hasSize(2);
        GoldenExample first = req.golden().get(0);
        assertThat(first.inputs()).containsEntry("sepal_length_cm", 5.1).containsEntry("petal_width_cm", 0.2);
        assertThat((Double) first.expected().get("score")).isCloseTo(0.5 + 2 * 5.1 - 0.2, within(1e-12));
        assertThat((Double) req.golden().get(1).expected().get("score")).isCloseTo(0.5 + 2 * 6.3 - 1.8, within(1e-12));
        assertThat(req.provenance().runId()).isEqualTo("8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f");
        assertThat(req.provenance().parameters())
                .containsEntry("mlflow.version", "2.16.2")
                .containsEntry("mlflow.utc_time_created", "2024-09-30 12:01:02.123456")
                .containsEntry("mlflow.flavor", "lightgbm")
                .containsEntry("mlflow.lightgbm.lgb_version", "4.3.0");
        assertThat(req.message()).contains("8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f");
    }

    @Test
    void anImportedModelRegistersAndLoadsWithItsGoldenExamples() throws IOException {
        Path dir = lightgbmDir(LIGHTGBM_MLMODEL, """
                {"columns": ["sepal length (cm)", "petal width (cm)"], "data": [[5.1, 0.2]]}""");

        try (FileModelRegistry registry = FileModelRegistry.open(work.resolve("registry"))) {
            ModelVersion v = registry.register(MlflowImporter.importRequest(dir, "iris", "alice", "from MLflow"));
            try (Model m = RegistryModels.load(registry, "iris", "1")) {
                assertThat(v.signature().featureNames()).containsExactly("sepal_length_cm", "petal_width_cm");
                assertThat((Double) m.predictRows(List.of(Row.of("sepal_length_cm", 1.0, "petal_width_cm", 1.0))).get(0).get("score"))
                        .isEqualTo(1.5);
            }
        }
    }

    @Test
    void aTensorExampleWithoutASignatureIsReadByPosition() throws IOException {
        String noSignature = LIGHTGBM_MLMODEL.substring(0, LIGHTGBM_MLMODEL.indexOf("signature:"))
                + "utc_time_created: '2024-09-30 12:01:02.123456'\n";
        Path dir = lightgbmDir(noSignature, "{\"inputs\": [[1.0, 3.0]]}");

        RegisterRequest req = MlflowImporter.importRequest(dir, "iris", "alice", null);

        assertThat(req.signature().get().featureNames()).containsExactly("f0", "f1");
        assertThat(req.golden().get(0).inputs()).containsEntry("f0", 1.0).containsEntry("f1", 3.0);
        assertThat((Double) req.golden().get(0).expected().get("score")).isEqualTo(0.5 + 2.0 - 3.0);
    }

    @Test
    void aModelWithoutAnExampleHasNoGoldenExamples() throws IOException {
        Path dir = lightgbmDir(LIGHTGBM_MLMODEL, null);

        assertThat(MlflowImporter.importRequest(dir, "iris", "alice", null).golden()).isEmpty();
    }

    @Test
    void aSignatureWithMoreColumnsThanTheModelHasFeaturesIsRefused() throws IOException {
        Path dir = lightgbmDir(LIGHTGBM_MLMODEL.replace("\"required\": false}]", "\"required\": false}, {\"type\": \"long\", \"name\": \"extra\"}]"),
                null);

        assertThatThrownBy(() -> MlflowImporter.importRequest(dir, "iris", "alice", null))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("3 columns").hasMessageContaining("2 features");
    }

    @Test
    void aDirectoryWithoutMLmodelIsNamed() throws IOException {
        Path dir = Files.createDirectories(work.resolve("empty"));

        assertThatThrownBy(() -> MlflowImporter.read(dir)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("no MLmodel file");
    }

    @Test
    void anUnsupportedFlavourIsRefusedListingWhatIsFoundAndWhatIsImported() throws IOException {
        Path dir = lightgbmDir("""
                flavors:
                  python_function: {loader_module: mlflow.sklearn, data: model.pkl}
                  sklearn: {pickled_model: model.pkl, sklearn_version: 1.5.2}
                run_id: abc
                """, null);

        assertThatThrownBy(() -> MlflowImporter.read(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("[python_function, sklearn]")
                .hasMessageContaining("[onnx, xgboost, lightgbm]");
    }

    @Test
    void aMissingDataFileIsNamed() throws IOException {
        Path dir = lightgbmDir(LIGHTGBM_MLMODEL.replace("data: model.lgb\n    lgb_version", "data: booster.txt\n    lgb_version"), null);

        assertThatThrownBy(() -> MlflowImporter.read(dir)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("booster.txt").hasMessageContaining("does not exist");
    }

    @Test
    void aPickledScikitLearnLightgbmModelIsRefusedWithTheWayOut() throws IOException {
        Path dir = lightgbmDir("""
                flavors:
                  lightgbm: {data: model.pkl, lgb_version: 4.3.0, model_class: lightgbm.sklearn.LGBMClassifier, serialization_format: cloudpickle}
                """, null);

        assertThatThrownBy(() -> MlflowImporter.read(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("lightgbm.sklearn.LGBMClassifier")
                .hasMessageContaining("only Python can read")
                .hasMessageContaining("booster_");
    }

    @Test
    void aColumnTypeFerryCannotMapIsRefused() throws IOException {
        Path dir = lightgbmDir(LIGHTGBM_MLMODEL.replace("\"type\": \"double\", \"name\": \"sepal length (cm)\"",
                "\"type\": \"datetime\", \"name\": \"sepal length (cm)\""), null);

        assertThatThrownBy(() -> MlflowImporter.read(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'sepal length (cm)'").hasMessageContaining("'datetime'");
    }

    @Test
    void anXgboostFlavourNamesItsDataFileAndFormat() throws IOException {
        Path dir = Files.createDirectories(work.resolve("xgb"));
        Files.writeString(dir.resolve("MLmodel"), """
                flavors:
                  xgboost: {code: null, data: model.ubj, model_class: xgboost.sklearn.XGBClassifier, model_format: ubj, xgb_version: 2.1.1}
                mlflow_version: 2.16.2
                run_id: r1
                signature:
                  inputs: '[{"type": "long", "name": "age"}, {"type": "float", "name": "income"}, {"type": "boolean", "name": "owner"}]'
                """);
        Files.write(dir.resolve("model.ubj"), new byte[] {1, 2, 3});

        MlflowModel m = MlflowImporter.read(dir);

        assertThat(m.format()).isEqualTo(ModelFormat.XGBOOST);
        assertThat(m.dataFile()).isEqualTo(dir.resolve("model.ubj"));
        assertThat(m.columns()).containsExactly(Field.required("age", FeatureType.INT64), Field.required("income", FeatureType.FLOAT32),
                Field.required("owner", FeatureType.BOOL));
        assertThat(m.provenance().parameters()).containsEntry("mlflow.xgboost.model_format", "ubj");
    }

    @Test
    void anOnnxFlavourWithATensorSignatureAndExampleIsRead() throws IOException {
        Path dir = Files.createDirectories(work.resolve("onnx"));
        Files.writeString(dir.resolve("MLmodel"), """
                flavors:
                  onnx: {code: null, data: model.onnx, onnx_version: 1.16.1, providers: [CUDAExecutionProvider, CPUExecutionProvider]}
                  python_function: {data: model.onnx, loader_module: mlflow.onnx}
                saved_input_example_info: {artifact_path: input_example.json, type: ndarray, format: tf-serving}
                signature:
                  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}, "name": "float_input"}]'
                  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}, "name": "label"}]'
                """);
        Files.write(dir.resolve("model.onnx"), new byte[] {8, 1});
        Files.writeString(dir.resolve("input_example.json"), "{\"inputs\": [[5.1, 3.5, 1.4, 0.2]]}");

        MlflowModel m = MlflowImporter.read(dir);

        assertThat(m.format()).isEqualTo(ModelFormat.ONNX);
        assertThat(m.tensors()).containsExactly(TensorSpec.of("float_input", ScalarType.FLOAT32, -1, 4));
        assertThat(m.example()).hasSize(1);
        assertThat(m.example().get(0)).containsEntry("float_input", List.of(5.1, 3.5, 1.4, 0.2));
    }

    @Test
    void columnNamesBecomeFerryFieldNames() {
        assertThat(MlflowImporter.fieldName("sepal length (cm)", 0)).isEqualTo("sepal_length_cm");
        assertThat(MlflowImporter.fieldName("2nd-feature", 0)).isEqualTo("_2nd-feature");
        assertThat(MlflowImporter.fieldName("  ", 3)).isEqualTo("f3");
        assertThat(MlflowImporter.fieldName("income.usd", 0)).isEqualTo("income.usd");
    }
}
