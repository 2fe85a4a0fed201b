"""TensorFlow API knowledge: generated TF1 -> TF2 tables and hand-curated ``tf.contrib`` maps.

Importing this package never imports TensorFlow; the JSON files are read on first use.
"""

from .curated import ContribEntry, Curated, RemovedModule, curated
from .tables import ApiTables, tables

__all__ = ["ApiTables", "ContribEntry", "Curated", "RemovedModule", "curated", "tables"]
