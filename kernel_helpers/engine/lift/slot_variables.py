"""The optimizer's variables in a list of every variable read after ``minimize`` (TFM102).

TF1's ``minimize`` made the optimizer's slots (Adam's ``m`` and ``v`` per variable, its beta powers) at once, so
``tf.global_variables()`` read after it lists them (Hvass's 03B prints them). A Keras optimizer makes its
variables at its first ``apply_gradients``, or when it is built. In a notebook that lists every variable, the
lifted step is followed by ``optimizer.build(variables)``, where TF1 made the slots, and such a list gets
``*optimizer.variables`` after the variables TF1 made before it. Keras's are not TF1's: ``iterations`` and the
learning rate instead of the beta powers, so a count or the names printed differ from TF1's.

Only for ``minimize`` steps, and when every variable the step updates exists where it is defined (a layer built
there, not at its first call): building the optimizer without one would leave Keras unable to update it. A list
read after another step is refused.
"""

from __future__ import annotations

from .model import GraphName, Kind, NotLiftable

LISTS = {"global_variables", "all_variables"}


class SlotVariables:
    """The Lifter's optimizers built at their steps (a mixin: it uses the Lifter's state)."""

    def optimizer_build(self, graph: GraphName, reachable: list[str]) -> list[str]:
        """``optimizer.build([...])`` after train step ``graph`` when the notebook lists every variable in the step's
        cell or after it (see the module's docstring); none otherwise."""
        if graph.optimizer in self.built_optimizers or not any(
                api in LISTS or api == "get_collection" and "GLOBAL_VARIABLES" in cell.text
                for cell in self.cells if cell.index >= graph.cell for api in cell.api.values()):
            return []
        for name in reachable:
            found = self.names[name]
            if found.kind is Kind.LAYER and found.trainable and name not in self.built_layers \
                    or found.kind is Kind.MODULE and found.module.layers:
                return []
        self.built_optimizers.add(graph.optimizer)
        return [f"{graph.optimizer}.build([{', '.join(graph.variables)}])"]

    def slot_members(self, graph: GraphName, api: str, cell_index: int, call) -> str:
        """How train step ``graph``'s optimizer variables are spelled in a list of every variable; refused when the
        optimizer was not built where TF1 made its slots."""
        if graph.optimizer not in self.built_optimizers:
            raise NotLiftable(f"`tf.{api}` would list the optimizer's slot variables too, and the lifting does not "
                              "build the optimizer where TF1 made them", cell_index, call)
        return f"*{graph.optimizer}.variables"
