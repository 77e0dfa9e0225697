"""brewline_py from /usr/bin/python3: the table round trip, train/evaluate/predict, and errors as exceptions."""
import os, sys, tempfile, unittest
from pathlib import Path

sys.path.insert(0, str(Path(os.environ["BREWLINE_BINARY_DIR"]) / "python"))
import numpy as np
import pandas as pd
import brewline_py as bl

DATA = Path(os.environ["BREWLINE_SOURCE_DIR"]) / ".cache/npm/node_modules/punkapi-db/data.json"
FAST = dict(rounds=20, max_depth=3, eta=0.3)


class BindingsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        cls.loaded = bl.load_dataset_into_table(cls.dir, str(DATA))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_table_round_trip(self):
        self.assertEqual(self.loaded, 325)
        df = pd.DataFrame(bl.query(self.dir, "SELECT id, name, ibu FROM beers ORDER BY id"))
        self.assertEqual(len(df), 325)
        self.assertEqual(df.ibu.isna().sum(), 5)
        self.assertEqual(list(df.columns), ["id", "name", "ibu"])

    def test_dataset_and_evaluate_share_rows_and_folds(self):
        ds = bl.dataset(self.dir)
        self.assertEqual(ds["features"].shape, (318, len(bl.feature_names)))
        self.assertEqual(ds["cleaning"], {"ibu_equal_to_og": 2, "ph_out_of_range": 1, "fg_above_og_swapped": 13})
        cv = bl.evaluate(self.dir, folds=3, repeats=2, **FAST)
        self.assertEqual(cv["folds"].shape, (2, 318))
        self.assertEqual(set(np.unique(cv["folds"])), {0, 1, 2})
        np.testing.assert_array_equal(cv["dataset"]["id"], ds["id"])
        self.assertEqual(len(cv["oof"]["row"]), 2 * 318)
        self.assertGreater(cv["report"]["macro_f1"]["mean"], 0.25)
        self.assertEqual(int(cv["confusion"].sum()), 2 * 318)

    def test_train_predict_importance(self):
        out = bl.train(self.dir, evaluate=False, **FAST)
        self.assertGreaterEqual(out["version"], 1)
        self.assertEqual(out["metadata"]["training_rows"], 318)
        rows = pd.DataFrame({"id": [1, 2], "abv": [3.5, 12.0], "target_fg": [1008, 1030], "target_og": [1035, 1120],
                             "ebc": [8, np.nan], "srm": [4, None], "ph": [4.4, 4.4]})
        p = bl.predict(self.dir, rows)
        self.assertEqual(p["probabilities"].shape, (2, 6))
        np.testing.assert_allclose(p["probabilities"].sum(axis=1), 1.0, atol=1e-4)
        self.assertEqual(p["band_names"][0], "0-20")
        self.assertTrue(np.isinf(p["band_high"]).sum() <= 2)
        # The name is a feature (style and hop words): the same measures, named, predict differently.
        rows["name"] = ["Berliner Weisse", "Citra Double IPA"]
        named = bl.predict(self.dir, rows)
        self.assertFalse(np.allclose(named["probabilities"], p["probabilities"]))
        gain = bl.feature_importance(self.dir)
        self.assertTrue(set(gain) <= set(bl.feature_names))
        self.assertGreater(len(gain), 3)
        self.assertGreaterEqual(len(bl.list_models(self.dir)), 1)

    def test_errors_become_exceptions(self):
        with self.assertRaises(ValueError) as e:
            bl.evaluate(self.dir, bands="40,20")
        self.assertIn("strictly increasing", str(e.exception))
        with self.assertRaises(ValueError) as e:
            bl.evaluate(self.dir, bands="5,40", folds=5)
        self.assertIn("fewer than the 5 folds", str(e.exception))
        with self.assertRaises(ValueError):
            bl.evaluate(self.dir, no_such_param=1)
        with self.assertRaises(LookupError):
            bl.predict(self.tmp.name + "/no-models", {c: [5.0] for c in ["abv", "target_fg", "target_og", "ebc", "srm", "ph"]})
        with self.assertRaises(PermissionError):
            bl.query(self.dir, "DELETE FROM cleaned")
        with self.assertRaises(ValueError) as e:
            bl.predict(self.dir, {"abv": [5.0]})
        self.assertIn("missing column", str(e.exception))


if __name__ == "__main__":
    unittest.main()
