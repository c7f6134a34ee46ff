"""`relais export fhir` checked by a reference implementation: every resource of the Bundle must
parse as FHIR R4(B) with the `fhir.resources` models (required elements, types, partial dates),
and consent decides who is in it. Usage: python3 Tests/FHIR/export_test.py PATH/TO/relais"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from fhir.resources.R4B.bundle import Bundle

RELAIS = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "relais"
ENV = {**os.environ, "RELAIS_PASSPHRASE": "fhir export test passphrase"}


def relais(*arguments, ok=True):
    result = subprocess.run([RELAIS, *arguments], env=ENV, capture_output=True, text=True, timeout=120)
    if ok and result.returncode != 0:
        raise RuntimeError(f"relais {' '.join(arguments)}: {result.stderr}")
    return result


class FHIRExport(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.data = os.path.join(self.folder.name, "data")
        relais("init", "--data", self.data, "--name", "hub")

    def tearDown(self):
        self.folder.cleanup()

    def add(self, *arguments):
        return relais(*arguments).stdout.strip()

    def sets(self, *values):
        return [argument for value in values for argument in ("--set", value)]

    def export(self, *arguments):
        out = os.path.join(self.folder.name, f"bundle-{len(os.listdir(self.folder.name))}.json")
        result = relais("export", "fhir", "--data", self.data, "--out", out, *arguments)
        self.assertIn("personal data in clear", result.stderr)
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o600)
        with open(out) as file:
            bundle = json.load(file)
        Bundle.model_validate(bundle)
        return bundle, result.stdout

    def test_a_consenting_person_is_handed_over_whole_and_valid(self):
        partner = self.add("partner", "add", "--data", self.data, *self.sets(
            "name=Cabinet du Dr Martin", "kind=gp", "profession=Médecin généraliste", "rpps=10101010101",
            "commune=Toulouse", "phone=05 61 00 00 00"))
        person = self.add("person", "add", "--data", self.data, *self.sets(
            "family_name=Diallo", "given_names=Aminata Awa", "birth_date=1987-03", "sex=female", "languages=ff,fr",
            "nir=2 87 03 99 123 456 78"))
        self.add("visit", "add", "--data", self.data, "--person", person, *self.sets(
            "date=2026-11-02", "kind=home_visit", "interpreter_mode=phone"))
        referral = self.add("referral", "add", "--data", self.data, "--person", person, *self.sets(
            "to=gp", "partner=" + partner, "date=2026-11-02", "status=followed", "reason=Suivi du diabète"))
        self.add("appointment", "add", "--data", self.data, "--person", person, *self.sets(
            "date=2026-12-05", "time=14h30", "partner=" + partner, "referral=" + referral))
        self.add("rights-episode", "add", "--data", self.data, "--person", person, *self.sets(
            "scheme=ame", "state=open", "opened=2026-01-10", "expires=2027-01-09"))
        self.add("consent-share", "add", "--data", self.data, "--person", person, *self.sets(
            "partner=" + partner, "date=2026-11-02"))
        bundle, said = self.export()
        self.assertIn("1 person written", said)
        types = sorted(entry["resource"]["resourceType"] for entry in bundle["entry"])
        self.assertEqual(types, sorted([
            "Patient", "Encounter", "ServiceRequest", "Appointment", "Coverage", "Consent", "Organization",
            "PractitionerRole"]))
        patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
        self.assertEqual(patient["birthDate"], "1987-03")
        self.assertEqual(patient["name"], [{"family": "Diallo", "given": ["Aminata", "Awa"]}])
        self.assertEqual(patient["identifier"][0]["value"], "287039912345678")
        request = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest")
        self.assertEqual((request["status"], request["performer"]), ("completed", [{"reference": "Organization/" + partner}]))
        ids = {f'{e["resource"]["resourceType"]}/{e["resource"]["id"]}' for e in bundle["entry"]}
        for entry in bundle["entry"]:
            for reference in references(entry["resource"]):
                self.assertIn(reference, ids, "every reference resolves inside the Bundle")

    def test_an_interrupted_export_leaves_no_bundle_behind(self):
        # Enough files that the export is still writing when it is interrupted.
        relais("demo-caseload", "--data", self.data, "--persons", "1000")
        out = os.path.join(self.folder.name, "interrupted.json")
        export = subprocess.Popen(
            [RELAIS, "export", "fhir", "--data", self.data, "--out", out], env=ENV,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not os.path.exists(out + ".part") and export.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        self.assertTrue(os.path.exists(out + ".part"), "the bundle is written beside its place first")
        self.assertEqual(os.stat(out + ".part").st_mode & 0o777, 0o600)
        export.send_signal(signal.SIGINT)
        self.assertEqual(export.wait(timeout=60), 128 + signal.SIGINT)
        self.assertFalse(os.path.exists(out))
        self.assertFalse(os.path.exists(out + ".part"), "an interrupted export leaves no personal data behind")
        bundle, _ = self.export()
        self.assertFalse([name for name in os.listdir(self.folder.name) if name.endswith(".part")])
        self.assertEqual(bundle["type"], "collection")

    def test_consent_decides_who_leaves_and_an_override_is_kept_on_the_file(self):
        partner = self.add("partner", "add", "--data", self.data, *self.sets("name=PASS", "kind=pass"))
        agreed = self.add("person", "add", "--data", self.data, *self.sets("family_name=Agreed"))
        self.add("consent-share", "add", "--data", self.data, "--person", agreed, *self.sets(
            "partner=" + partner, "date=2026-10-01"))
        withdrawn = self.add("person", "add", "--data", self.data, *self.sets("family_name=Withdrawn"))
        self.add("consent-share", "add", "--data", self.data, "--person", withdrawn, *self.sets(
            "partner=" + partner, "date=2026-10-01", "withdrawn=2026-11-01"))
        never = self.add("person", "add", "--data", self.data, *self.sets("family_name=Never"))
        bundle, said = self.export()
        patients = [e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
        self.assertEqual(patients, [agreed])
        self.assertIn("2 left out", said)
        refused = relais("export", "fhir", "--data", self.data, "--out", os.path.join(self.folder.name, "x.json"),
                         "--with-consent-override", "urgence vitale", ok=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("--person", refused.stderr)
        alone, _ = self.export("--person", never)
        self.assertEqual([e for e in alone["entry"] if e["resource"]["resourceType"] == "Patient"], [])
        bundle, _ = self.export("--person", never, "--with-consent-override", "Hospitalisation en urgence, accord impossible")
        self.assertEqual([e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"], [never])
        shown = relais("person", "show", "--data", self.data, never).stdout
        self.assertIn("Hospitalisation en urgence, accord impossible", shown)
        self.assertIn("export FHIR", shown)


def references(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


if __name__ == "__main__":
    unittest.main(verbosity=2)
