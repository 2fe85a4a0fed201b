"""The Keras code a canned estimator becomes, with TF 1.15's defaults spelled out.

TF 1.15 facts (``tensorflow_estimator/python/estimator/canned``), for the v1 classes ``tf.estimator.*``:
- loss: ``loss_reduction=losses.Reduction.SUM``, the batch's summed loss (the v2 classes average; these do
  not), so the Keras loss has ``reduction="sum"``.
- DNN (``dnn.py``): ``optimizer='Adagrad'`` at ``_LEARNING_RATE = 0.05``, ``activation_fn=nn.relu``,
  ``dropout=None``, ``batch_norm=False`` (momentum 0.999 when on); hidden and logits layers
  ``glorot_uniform`` kernels and zero biases, named ``dnn/hiddenlayer_<i>`` and ``dnn/logits``.
- Linear (``linear.py``): ``optimizer='Ftrl'`` at ``_LEARNING_RATE = 0.2`` (``optimizer=None`` means
  ``min(0.2, 1 / sqrt(len(feature_columns)))``); zero-initialized weights and bias.
- string optimizers (``optimizers.py``): Adagrad, Adam, Ftrl, RMSProp, SGD at the model's learning rate.
- heads: multi-class is softmax cross-entropy on ``n_classes`` logits, binary (``n_classes=2``) sigmoid
  cross-entropy on one logit, regression squared error on ``label_dimension`` outputs.
"""

from __future__ import annotations

from .model import Estimator

DNN_LEARNING_RATE = "0.05"
LINEAR_LEARNING_RATE = "0.2"

#: TF1's optimizer constructors with the defaults that differ in Keras written out (see lift/optimizers.py)
STRING_OPTIMIZERS = {
    "Adagrad": "Adagrad(learning_rate={lr}, initial_accumulator_value=0.1, epsilon=0.0)",
    "Adam": "Adam(learning_rate={lr}, epsilon=1e-8)",
    "Ftrl": "Ftrl(learning_rate={lr}, learning_rate_power=-0.5, initial_accumulator_value=0.1)",
    "SGD": "SGD(learning_rate={lr})",
}

ACTIVATIONS = {"nn.relu": "relu", "nn.relu6": "relu6", "nn.elu": "elu", "nn.selu": "selu", "nn.tanh": "tanh",
               "tanh": "tanh", "nn.sigmoid": "sigmoid", "sigmoid": "sigmoid", "nn.softplus": "softplus",
               "nn.softsign": "softsign", "nn.swish": "swish"}

#: the keys ``evaluate`` returns, by head
EVAL_KEYS = {
    "regression": {"average_loss", "loss", "global_step"},
    "multi": {"accuracy", "average_loss", "loss", "global_step"},
    "binary": {"accuracy", "auc", "auc_precision_recall", "precision", "recall", "average_loss", "loss",
               "global_step"},
}


def string_optimizer(tf: str, name: str, learning_rate: str) -> str | None:
    spec = STRING_OPTIMIZERS.get(name)
    return None if spec is None else f"{tf}.keras.optimizers." + spec.format(lr=learning_rate)


def head(estimator: Estimator) -> str:
    if not estimator.classifier:
        return "regression"
    return "binary" if estimator.arguments.get("n_classes", 2) == 2 else "multi"


def model_code(tf: str, est: Estimator) -> str:
    m = est.name
    lines = []
    if est.seed is not None:
        lines.append(f"{tf}.keras.utils.set_random_seed({est.seed})  # RunConfig(tf_random_seed={est.seed})")
    columns = est.columns
    if all(c.numeric for c in columns.columns):
        lines.append(f"{m}_columns = {{column.name: column for column in {est.columns_text}}}")
        inputs = f"{m}_columns"
    else:
        from .columns import encodings, quote

        inputs = f"{m}_inputs"
        lines.append(f"{inputs} = {{column.name: column for column in {est.columns_text}}}")
        lines.append(f"{m}_columns = {{  # the dense encoding of each feature column, by its TF1 name")
        for name, layer, arguments, read in encodings(tf, columns, inputs):
            if not layer:
                lines.append(f"    {quote(name)}: {read},")
            else:
                lines += _call_lines(f"    {quote(name)}: {layer}(", arguments, f")({read}),")
        lines.append("}")
    features = f"[{m}_columns[name] for name in sorted({m}_columns)]"
    comment = "# TF1 concatenated the feature columns sorted by name"
    if any(c.numeric and len([d for d in c.values.strip("()").split(",") if d.strip()]) > 1 for c in columns.columns):
        # TF1's input layer flattened each multi-dimensional numeric column before concatenating.
        features = f"[{tf}.keras.layers.Flatten()({m}_columns[name]) for name in sorted({m}_columns)]"
        comment = "# TF1 flattened the feature columns and concatenated them sorted by name"
    head_kind = head(est)
    units = {"regression": str(est.arguments.get("label_dimension", 1)), "binary": "1",
             "multi": str(est.arguments.get("n_classes"))}[head_kind]
    if est.dnn:
        lines.append(comment)
        lines.append(f"{m}_hidden = {tf}.keras.layers.Concatenate()({features})")
        lines += _hidden_layers(tf, est)
        lines += _call_lines(f"{m}_logits = {tf}.keras.layers.Dense(",
                             [units, 'kernel_initializer="glorot_uniform"', 'name="logits"'], f")({m}_hidden)")
    else:
        lines.append(comment)
        lines.append(f"{m}_features = {tf}.keras.layers.Concatenate()({features})")
        lines += _call_lines(f"{m}_logits = {tf}.keras.layers.Dense(",
                             [units, 'kernel_initializer="zeros"', 'bias_initializer="zeros"', 'name="linear_model"'],
                             f")({m}_features)")
    lines.append(f"{m} = {tf}.keras.Model({inputs}, {m}_logits)")
    loss, metrics = _loss_and_metrics(tf, head_kind)
    lines.append(f"{m}.compile(")
    lines.append(f"    optimizer={est.optimizer},")
    lines.append("    # TF1's canned estimators sum the loss over the batch (loss_reduction=SUM)")
    lines.append(f"    loss={loss},")
    lines.append(f"    metrics=[{(',' + chr(10) + ' ' * 13).join(metrics)}])")
    if est.uses_predict:
        lines += [""] + _predict_helper(tf, est, head_kind)
    if est.uses_variables:
        lines += [""] + _variables_helper(tf, est)
    return "\n".join(lines)


def _hidden_layers(tf: str, est: Estimator) -> list[str]:
    m = est.name
    activation = est.arguments.get("activation", '"relu"')
    dropout = est.arguments.get("dropout")
    batch_norm = est.arguments.get("batch_norm", False)
    hidden_units = est.arguments["hidden_units"]

    def layer(units: str, name: str, indent: str) -> list[str]:
        out = _call_lines(f"{indent}{m}_hidden = {tf}.keras.layers.Dense(",
                          [units, f"activation={activation}", 'kernel_initializer="glorot_uniform"', f"name={name}"],
                          f")({m}_hidden)")
        if dropout is not None:
            out.append(f"{indent}{m}_hidden = {tf}.keras.layers.Dropout({dropout})({m}_hidden)")
        if batch_norm:
            out.append(f"{indent}{m}_hidden = {tf}.keras.layers.BatchNormalization(momentum=0.999)({m}_hidden)")
        return out

    if isinstance(hidden_units, list):
        return [line for i, units in enumerate(hidden_units) for line in layer(units, f'"hiddenlayer_{i}"', "")]
    return [f"for {m}_layer, {m}_units in enumerate({hidden_units}):",
            *layer(f"{m}_units", f'f"hiddenlayer_{{{m}_layer}}"', "    ")]


def _loss_and_metrics(tf: str, head_kind: str) -> tuple[str, list[str]]:
    k = f"{tf}.keras"
    if head_kind == "regression":
        return (f'{k}.losses.MeanSquaredError(reduction="sum")',
                [f'{k}.metrics.MeanSquaredError(name="average_loss")'])
    if head_kind == "multi":
        return (f'{k}.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="sum")',
                [f'{k}.metrics.SparseCategoricalAccuracy(name="accuracy")',
                 f'{k}.metrics.SparseCategoricalCrossentropy(from_logits=True, name="average_loss")'])
    return (f'{k}.losses.BinaryCrossentropy(from_logits=True, reduction="sum")',
            [f'{k}.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")',
             f'{k}.metrics.MeanMetricWrapper({k}.losses.BinaryCrossentropy(from_logits=True, reduction=None),\n'
             f'{" " * (len(k) + 40)}name="average_loss")',
             f'{k}.metrics.AUC(from_logits=True, name="auc")',
             f'{k}.metrics.AUC(curve="PR", from_logits=True, name="auc_precision_recall")',
             f'{k}.metrics.Precision(thresholds=0.0, name="precision")',
             f'{k}.metrics.Recall(thresholds=0.0, name="recall")'])


def _predict_helper(tf: str, est: Estimator, head_kind: str) -> list[str]:
    m = est.name
    lines = [f"def {m}_predict(dataset):",
             f'    """One dict per example, as `{est.short}.predict` yielded them."""']
    if head_kind == "regression":
        return lines + [f"    for predictions in {m}.predict(dataset, verbose=0):",
                        '        yield {"predictions": predictions}']
    count = "2" if head_kind == "binary" else str(est.arguments["n_classes"])
    lines.append(f"    for logits in {m}.predict(dataset, verbose=0):")
    if head_kind == "binary":
        lines += [f"        logistic = {tf}.sigmoid(logits)",
                  f"        class_ids = {tf}.cast(logits > 0, {tf}.int64)",
                  '        yield {"logits": logits, "logistic": logistic.numpy(),',
                  f'               "probabilities": {tf}.concat([1 - logistic, logistic], 0).numpy(),']
    else:
        lines += [f"        class_ids = {tf}.reshape({tf}.argmax(logits), [1])",
                  f'        yield {{"logits": logits, "probabilities": {tf}.nn.softmax(logits).numpy(),']
    lines += [f'               "class_ids": class_ids.numpy(), "classes": {tf}.strings.as_string(class_ids).numpy(),',
              f'               "all_class_ids": {tf}.range({count}).numpy(),',
              f'               "all_classes": {tf}.strings.as_string({tf}.range({count})).numpy()}}']
    return lines


def _variables_helper(tf: str, est: Estimator) -> list[str]:
    m = est.name
    lines = [f"def {m}_variables():",
             f'    """The model\'s weights under the names `{est.short}` gave its variables."""']
    if est.dnn:
        lines.append(f'    variables = {{"dnn/" + weight.path: weight.numpy() for weight in {m}.weights}}')
    else:
        lines += [f'    layer = {m}.get_layer("linear_model")',
                  f"    names = sorted({m}_columns)",
                  f"    weights = {tf}.split(layer.kernel.numpy(), [{m}_columns[name].shape[-1] for name in names])",
                  '    variables = {f"linear/linear_model/{name}/weights": weight.numpy()',
                  "                 for name, weight in zip(names, weights)}",
                  '    variables["linear/linear_model/bias_weights"] = layer.bias.numpy()']
    return lines + [f'    variables["global_step"] = {m}.optimizer.iterations.numpy()',
                    "    return variables"]


def _call_lines(head: str, arguments: list[str], tail: str, width: int = 110) -> list[str]:
    """``head + arguments + tail`` on one line, or wrapped under the opening parenthesis."""
    line = head + ", ".join(arguments) + tail
    if len(line) <= width:
        return [line]
    lines, current = [], head
    for i, argument in enumerate(arguments):
        piece = argument + (", " if i < len(arguments) - 1 else tail)
        if current.strip() and len(current) + len(piece.rstrip()) > width and current != head:
            lines.append(current.rstrip())
            current = " " * len(head) + piece
        else:
            current += piece
    return lines + [current]
