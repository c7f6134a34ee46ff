"""The mediators' app in a real browser: Debian's Chromium driven through WebDriver (selenium),
against `relais serve` processes on loopback, with a hub and two enrolled laptops.

Run by `make test` as: python3 Tests/Browser/app_test.py PATH/TO/relais
Screenshots of the main pages go to docs/screenshots/ when RELAIS_SCREENSHOTS is set.
"""

import base64
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from datetime import date, timedelta

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

RELAIS = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "relais"
PASSPHRASE = "phrase de passe du portable"
# A name no page, log or file of the app may leave on the browser's disk.
MARKER = "Zorglubova"
SCREENSHOTS = os.environ.get("RELAIS_SCREENSHOTS")


def day(offset):
    """A date `offset` days from today, as the CLI takes it and as the app shows it."""
    when = date.today() + timedelta(days=offset)
    return when.isoformat(), when.strftime("%d/%m/%Y")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(port, process):
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"relais serve exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


class Team:
    """A hub and two laptops; Aminata's housing edited offline on both, so one field is in conflict."""

    def __init__(self, folder):
        self.folder = folder
        self.processes = []
        self.hub, self.marie, self.karim = (os.path.join(folder, name) for name in ("hub", "marie", "karim"))
        self.hub_port = free_port()
        self.ui_port = free_port()
        self.hub_ui_port = free_port()
        self.relais("init", "--data", self.hub, "--name", "chu-hub")
        self.relais("team", "create", "--data", self.hub, "--name", "CHU")
        self.serve(self.hub, self.hub_port, "--ui", f"127.0.0.1:{self.hub_ui_port}")
        for data, name in ((self.marie, "portable-marie"), (self.karim, "portable-karim")):
            self.relais("init", "--data", data, "--name", name)
            token = self.relais("admin", "invite", "--data", self.hub, "--role", "field", "--name", name).strip()
            self.relais("join", "--data", data, "--hub", self.hub_address, "--token", token)
        self.aminata = self.relais(
            "person", "add", "--data", self.marie, "--set", "family_name=Diallo", "--set", "given_names=Aminata",
            "--set", "birth_date=1987-03", "--set", "languages=ff,fr",
        ).strip()
        for rights in (["scheme=ame", "state=to_check"], ["scheme=puma", "state=open", f"expires={day(20)[0]}"]):
            self.relais(
                "rights-episode", "add", "--data", self.marie, "--person", self.aminata,
                *[argument for value in rights for argument in ("--set", value)])
        self.relais(
            "rights-episode", "add", "--data", self.marie, "--person", self.aminata, "--set", "scheme=ame_humanitarian",
            "--set", "state=open", "--set", f"opened={day(-300)[0]}", "--set", f"expires={day(12)[0]}",
        )
        self.relais(
            "appointment", "add", "--data", self.marie, "--person", self.aminata, "--set", f"date={day(3)[0]}",
            "--set", "with=PASS de l'hôpital",
        )
        self.relais(
            "referral", "add", "--data", self.marie, "--person", self.aminata, "--set", f"date={day(-40)[0]}",
            "--set", "to=cegidd", "--set", "status=proposed",
        )
        self.relais(
            "visit", "add", "--data", self.marie, "--person", self.aminata, "--set", f"date={day(-4)[0]}",
            "--set", "kind=outreach_consultation", "--set", "place_kind=squat", "--set", "actions=rapid_hiv_test,health_education",
            "--set", "interpreter_used=ff", "--set", "follow_up=Rendez-vous PASS à prendre",
        )
        self.relais(
            "person", "add", "--data", self.marie, "--set", "family_name=DIALLO", "--set", "given_names=Aminata",
            "--set", "phone=06 12 34 56 78",
        )
        for family, given, phone in (("Popescu", "Ion", "07 11 22 33 44"), ("Popesku", "Ioan", "+33 7 11 22 33 44")):
            self.relais(
                "person", "add", "--data", self.marie, "--set", f"family_name={family}", "--set", f"given_names={given}",
                "--set", f"phone={phone}",
            )
        self.relais(
            "person", "add", "--data", self.marie, "--set", f"family_name={MARKER}", "--set", "given_names=Awa",
            "--set", "chronic_conditions=hiv",
        )
        self.cmp = self.relais(
            "partner", "add", "--data", self.marie, "--set", "name=CMP Nord", "--set", "kind=cmp",
            "--set", "phone=05 61 00 00 01").strip()
        self.sync(self.marie, self.karim)
        self.relais("person", "update", "--data", self.marie, self.aminata, "--set", "housing=squat")
        self.relais("person", "update", "--data", self.karim, self.aminata, "--set", "housing=emergency_shelter")
        self.relais("partner", "update", "--data", self.marie, self.cmp, "--set", "phone=05 61 00 00 02")
        self.relais("partner", "update", "--data", self.karim, self.cmp, "--set", "phone=05 61 00 00 03")
        self.sync(self.marie, self.karim, self.marie)
        self.serve(self.marie, free_port(), "--ui", f"127.0.0.1:{self.ui_port}", "--peer", self.hub_address)

    @property
    def hub_address(self):
        return f"127.0.0.1:{self.hub_port}"

    def relais(self, *arguments):
        result = subprocess.run(
            [RELAIS, *arguments], env={**os.environ, "RELAIS_PASSPHRASE": PASSPHRASE}, capture_output=True, text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"relais {' '.join(arguments)}: {result.stderr}")
        return result.stdout

    def sync(self, *laptops):
        for data in laptops:
            self.relais("sync", "--data", data, "--peer", self.hub_address)

    def serve(self, data, port, *arguments):
        log = open(os.path.join(self.folder, f"serve-{port}.log"), "w")
        process = subprocess.Popen(
            [RELAIS, "serve", "--data", data, "--listen", f"127.0.0.1:{port}", "--no-discovery", *arguments],
            env={**os.environ, "RELAIS_PASSPHRASE": PASSPHRASE}, stdout=log, stderr=log,
        )
        self.processes.append(process)
        wait_listening(port, process)
        if "--ui" in arguments:
            wait_listening(int(arguments[arguments.index("--ui") + 1].split(":")[1]), process)

    def stop(self):
        for process in self.processes:
            process.terminate()
            process.wait(timeout=30)


class AppInTheBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="relais-browser-")
        cls.team = Team(cls.folder)
        cls.base = f"http://127.0.0.1:{cls.team.ui_port}"
        cls.profile = os.path.join(cls.folder, "chromium-profile")
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in (
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,768",
            "--lang=fr-FR", f"--user-data-dir={cls.profile}",
        ):
            options.add_argument(argument)
        cls.browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        cls.browser.set_window_size(1366, 768)

    @classmethod
    def tearDownClass(cls):
        if cls.browser is not None:
            cls.browser.quit()
        cls.team.stop()
        shutil.rmtree(cls.folder, ignore_errors=True)

    # Helpers

    def open(self, path):
        self.browser.get(self.base + path)

    def wait_for(self, condition, seconds=10):
        # A page the app replaces while a condition reads it detaches the node being read, which
        # Chromium reports as an error ("does not belong to the document"): read it again.
        return WebDriverWait(self.browser, seconds, ignored_exceptions=[WebDriverException]).until(condition)

    def log_in(self, passphrase=PASSPHRASE):
        self.open("/connexion")
        field = self.browser.find_element(By.ID, "phrase")
        field.clear()
        field.send_keys(passphrase)
        self.browser.find_element(By.ID, "ouvrir").click()

    def press(self, *keys):
        ActionChains(self.browser).send_keys(*keys).perform()

    def tab_to(self, found, limit=60):
        """Presses Tab until the focus is on what `found` accepts, as someone without a mouse would."""
        for _ in range(limit):
            self.press(Keys.TAB)
            element = self.browser.switch_to.active_element
            if found(element):
                self.assertTrue(element.is_displayed(), "the focus went to something that cannot be seen")
                return element
        self.fail(f"{limit} presses of Tab never reached it on {self.browser.title}")

    def check_accessibility(self, page):
        axe = Axe(self.browser)
        axe.inject()
        results = axe.run()
        grave = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        self.assertEqual(grave, [], f"{page}: {axe.report(grave)}")

    def screenshot(self, name):
        """The whole page at the width of a 1366×768 laptop screen."""
        if SCREENSHOTS:
            os.makedirs(SCREENSHOTS, exist_ok=True)
            height = self.browser.execute_script("return document.documentElement.scrollHeight")
            self.browser.set_window_size(1366, max(768, height + 140))
            self.browser.save_screenshot(os.path.join(SCREENSHOTS, f"{name}.png"))
            self.browser.set_window_size(1366, 768)

    # Tests, in order: unittest runs them by name.

    def test_1_a_wrong_passphrase_is_refused(self):
        self.log_in("ce n'est pas la bonne")
        self.wait_for(ready.text_to_be_present_in_element((By.ID, "erreur-phrase"), "Phrase de passe incorrecte."))
        self.assertTrue(self.browser.current_url.endswith("/connexion"))
        self.screenshot("connexion")
        self.open("/")
        self.assertTrue(self.browser.current_url.endswith("/connexion"), "a page opened without the passphrase")
        self.check_accessibility("Connexion")

    def test_2_today_lists_the_conflict_and_the_file_shows_both_values(self):
        self.log_in()
        self.wait_for(ready.title_contains("Aujourd'hui"))
        for _ in range(40):
            page = self.browser.find_element(By.TAG_NAME, "main").text
            if "en cours de calcul" not in page:
                break
            time.sleep(0.25)
            self.browser.refresh()
        for words in (
            f"PUMa : droits jusqu'au {day(20)[1]}", f"AME humanitaire : droits jusqu'au {day(12)[1]}",
            f"Rendez-vous le {day(3)[1]} avec PASS de l'hôpital",
            f"Orientation vers CeGIDD proposée le {day(-40)[1]}, sans nouvelles",
            f"Suite prévue le {day(-4)[1]} : Rendez-vous PASS à prendre",
        ):
            self.assertIn(words, page)
        self.assertIn("Aminata Diallo — à choisir : Hébergement", page)
        self.assertIn("Partenaires — à choisir : Téléphone", page)
        self.assertIn("2 doublons probables", page)
        self.assertRegex(page, "Dernière synchronisation avec le hub : (à l'instant|il y a [0-9]+ min)")
        self.screenshot("aujourdhui")
        self.check_accessibility("Aujourd'hui")
        self.browser.find_element(By.LINK_TEXT, "Aminata Diallo").click()
        self.wait_for(ready.presence_of_element_located((By.CSS_SELECTOR, "dd.conflit")))
        page = self.browser.find_element(By.TAG_NAME, "main").text
        for words in (
            "Identité", "Droits en santé", "Dispositif\nAME\nÉtat\nÀ vérifier", "mars 1987", "peul (pulaar)",
            "Visites et accompagnements", day(-4)[1], "Consultation en aller-vers", "Éducation à la santé, TROD VIH",
        ):
            self.assertIn(words, page)
        conflict = self.browser.find_element(By.CSS_SELECTOR, "dd.conflit").text
        for words in ("Squat", "Hébergement d'urgence (115)", "portable-marie", "portable-karim"):
            self.assertIn(words, conflict)
        history = self.browser.find_element(By.CSS_SELECTOR, "dd.conflit p.conflit-titre a").get_attribute("href")
        self.assertRegex(history, "/fiche/[0-9a-f]+/historique/housing$")
        self.assertIn("Deux valeurs ont été saisies hors ligne pour : Hébergement", page)
        self.assertNotIn(self.team.aminata, self.browser.current_url + page, "an id shown or in the address")
        self.assertNotIn("Aminata", self.browser.title)
        self.screenshot("fiche")
        self.check_accessibility("Fiche")

    def test_2b_a_conflict_settled_here_reaches_the_other_laptop(self):
        # The file is open from the previous test; Squat, saisi sur portable-marie, is kept.
        buttons = self.browser.find_elements(By.CSS_SELECTOR, "form.garder button")
        self.assertEqual(len(buttons), 2)
        buttons[0].click()
        self.wait_for(ready.invisibility_of_element_located((By.CSS_SELECTOR, "dd.conflit")))
        self.assertIn("Squat", self.browser.find_element(By.TAG_NAME, "main").text)
        # The daemon pushes the write to the hub as soon as it is made; the other laptop pulls it.
        import json
        for _ in range(60):
            self.team.sync(self.team.karim)
            file = json.loads(self.team.relais("person", "show", "--data", self.team.karim, self.team.aminata, "--json"))
            housing = next(field for field in file["fields"] if field["name"] == "housing")
            if not housing["in_conflict"]:
                break
            time.sleep(0.5)
        self.assertEqual((housing["in_conflict"], housing["values"]), (False, ["squat"]))

    def test_2c_a_section_is_edited_and_a_bad_date_is_refused_in_french(self):
        self.browser.find_element(By.CSS_SELECTOR, "a.modifier[href$='/modifier/administrative']").click()
        self.wait_for(ready.presence_of_element_located((By.ID, "champ-residence_status")))
        self.assertFalse(self.browser.find_elements(By.ID, "champ-housing"), "another section's field in the form")
        from selenium.webdriver.support.ui import Select
        Select(self.browser.find_element(By.ID, "champ-residence_status")).select_by_visible_text("Demandeur·se d'asile")
        self.browser.find_element(By.ID, "champ-postal_domiciliation").send_keys("CCAS de Toulouse")
        self.screenshot("modifier")
        self.check_accessibility("Modifier")
        self.browser.get(self.browser.current_url.replace("/modifier/administrative", "/nouveau/rights_episode"))
        Select(self.wait_for(ready.presence_of_element_located((By.ID, "champ-scheme")))).select_by_visible_text("AME")
        Select(self.browser.find_element(By.ID, "champ-state")).select_by_visible_text("Dossier déposé")
        date = self.browser.find_element(By.ID, "champ-filed")
        date.send_keys("31/02/2026")
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.presence_of_element_located((By.ID, "erreur-filed")))
        self.assertIn("Date attendue", self.browser.find_element(By.ID, "erreur-filed").text)
        self.assertIn("Rien n'a été enregistré", self.browser.find_element(By.TAG_NAME, "main").text)
        self.check_accessibility("Nouveau droit, refusé")
        date = self.browser.find_element(By.ID, "champ-filed")
        date.clear()
        date.send_keys("02/03/2026")
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.presence_of_element_located((By.CSS_SELECTOR, "a.modifier")))
        page = self.browser.find_element(By.TAG_NAME, "main").text
        self.assertIn("Dossier déposé le\n02/03/2026", page)
        self.assertNotIn("ancienne saisie", page, "an empty section of deprecated fields is shown")
        self.assertNotIn("Demandeur·se d'asile", page, "a form left without saving wrote its fields")
        self.browser.find_element(By.LINK_TEXT, "Historique de la fiche").click()
        history = self.wait_for(ready.presence_of_element_located((By.CLASS_NAME, "historique"))).text
        for words in (
            "portable-marie a saisi « Hébergement » : Squat", "portable-karim a saisi « Hébergement » : Hébergement d'urgence (115)",
            "portable-marie a créé la fiche",
        ):
            self.assertIn(words, history)
        self.assertNotIn("non vérifié", history)
        self.screenshot("historique")
        self.check_accessibility("Historique")
        self.browser.back()

    def test_2d_a_visit_is_added_then_corrected(self):
        from selenium.webdriver.support.ui import Select
        self.browser.find_element(By.LINK_TEXT, "Nouvelle visite").click()
        date = self.wait_for(ready.presence_of_element_located((By.ID, "champ-date")))
        self.assertEqual(date.get_attribute("value"), time.strftime("%d/%m/%Y"), "a new visit is dated today")
        date.clear()
        date.send_keys("01/12/2026")
        Select(self.browser.find_element(By.ID, "champ-kind")).select_by_visible_text("Entretien")
        self.browser.find_element(By.NAME, "actions__rapid_hepatitis_test").click()
        self.browser.find_element(By.ID, "champ-note").send_keys("Dépistage proposé, accepté")
        self.screenshot("nouvelle-visite")
        self.check_accessibility("Nouvelle visite")
        self.browser.find_element(By.ID, "enregistrer").click()

        # The demo's visits are dated from today, so one may share this date: the note tells ours.
        def new_visit(browser):
            return next((visit for visit in browser.find_elements(By.CSS_SELECTOR, ".enregistrement")
                         if "Dépistage proposé, accepté" in visit.text), False)
        new = self.wait_for(new_visit)
        self.assertIn("01/12/2026", new.text)
        self.assertIn("TROD hépatites", new.text)
        self.assertIn("Entretien", new.text)
        new.find_element(By.CLASS_NAME, "modifier").click()
        Select(self.wait_for(ready.presence_of_element_located((By.ID, "champ-kind")))).select_by_visible_text(
            "Visite à domicile")
        self.browser.find_element(By.ID, "enregistrer").click()
        corrected = self.wait_for(lambda browser: (visit := new_visit(browser)) and "Entretien" not in visit.text and visit)
        self.assertIn("Visite à domicile", corrected.text)
        self.assertNotIn("Entretien", self.browser.find_element(By.TAG_NAME, "main").text)

    def test_3_search_finds_as_you_type_without_accents_or_case(self):
        self.open("/rechercher")
        field = self.browser.find_element(By.ID, "q")
        field.send_keys("DIALL")
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Aminata Diallo")))
        self.assertTrue(self.browser.current_url.endswith("/rechercher"), "the search went into the address")
        field.clear()
        field.send_keys("zorglu")
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, f"Awa {MARKER}")))
        self.screenshot("rechercher")
        self.check_accessibility("Rechercher")
        self.browser.find_element(By.LINK_TEXT, f"Awa {MARKER}").click()
        self.wait_for(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "VIH"))

    def test_3b_a_new_person_needs_a_name(self):
        self.browser.find_element(By.LINK_TEXT, "Nouvelle personne").click()
        self.wait_for(ready.presence_of_element_located((By.ID, "champ-family_name")))
        self.browser.find_element(By.ID, "champ-birth_date").send_keys("1990")
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.presence_of_element_located((By.ID, "erreur-family_name")))
        self.assertIn("au moins un nom ou un prénom", self.browser.find_element(By.ID, "erreur-family_name").text)
        self.assertEqual(self.browser.find_element(By.ID, "champ-birth_date").get_attribute("value"), "1990")
        self.browser.find_element(By.ID, "champ-family_name").send_keys("Kovač")
        self.browser.find_element(By.ID, "champ-given_names").send_keys("Mirela")
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Mirela Kovač"))
        self.assertIn("1990", self.browser.find_element(By.TAG_NAME, "main").text)

    def test_3c_two_duplicates_are_merged_then_the_merge_undone(self):
        self.browser.find_element(By.LINK_TEXT, "Doublons").click()
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Comparer les deux fiches")))
        self.check_accessibility("Doublons")
        pairs = self.browser.find_elements(By.CSS_SELECTOR, ".taches li")
        self.assertEqual(len(pairs), 2)
        self.assertRegex(pairs[1].text, "^(Ion Popescu et Ioan Popesku|Ioan Popesku et Ion Popescu) \\(même numéro de téléphone\\)")
        self.assertRegex(pairs[0].text, "^Aminata (Diallo|DIALLO) et Aminata (Diallo|DIALLO) \\(même nom\\)")
        pairs[0].find_element(By.LINK_TEXT, "Comparer les deux fiches").click()
        columns = self.wait_for(ready.presence_of_all_elements_located((By.CLASS_NAME, "colonne")))
        self.assertEqual(len(columns), 2)
        self.assertIn("06 12 34 56 78", "".join(column.text for column in columns))
        self.screenshot("doublons")
        self.check_accessibility("Comparer")
        keep = next(column for column in columns if "mars 1987" in column.text)
        keep.find_element(By.CLASS_NAME, "fusionner").click()
        self.wait_for(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "réunit des doublons"))
        page = self.browser.find_element(By.TAG_NAME, "main").text
        self.assertIn("06 12 34 56 78", page, "the duplicate's phone shows under the kept file")
        self.open("/rechercher")
        self.browser.find_element(By.ID, "q").send_keys("diallo")
        self.wait_for(ready.text_to_be_present_in_element((By.ID, "resultats"), "1 personne trouvée"))
        # The two spellings of the family name now compete: the kept file shows one of them.
        self.browser.find_element(By.PARTIAL_LINK_TEXT, "Aminata").click()
        self.wait_for(ready.element_to_be_clickable((By.XPATH, "//button[text()='Annuler la fusion']"))).click()
        self.wait_for(ready.invisibility_of_element_located((By.XPATH, "//button[text()='Annuler la fusion']")))
        self.assertNotIn("06 12 34 56 78", self.browser.find_element(By.TAG_NAME, "main").text)

    def test_3d_an_erasure_asks_for_a_typed_confirmation(self):
        self.open("/rechercher")
        self.browser.find_element(By.ID, "q").send_keys("kovac")
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Mirela Kovač"))).click()
        self.wait_for(ready.presence_of_element_located((By.PARTIAL_LINK_TEXT, "Effacer la fiche"))).click()
        self.browser.find_element(By.ID, "confirmation").send_keys("oui")
        self.browser.find_element(By.ID, "effacer").click()
        self.wait_for(ready.presence_of_element_located((By.ID, "erreur-confirmation")))
        self.check_accessibility("Effacer")
        self.browser.find_element(By.ID, "confirmation").send_keys("EFFACER")
        self.browser.find_element(By.ID, "effacer").click()
        self.wait_for(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "La fiche a été effacée"))
        self.assertNotIn("Kovač", self.team.relais("person", "list", "--data", self.team.marie))

    def test_3e_the_admin_invites_a_device_and_revokes_another(self):
        hub = f"http://127.0.0.1:{self.team.hub_ui_port}"
        self.browser.get(hub + "/connexion")
        self.browser.find_element(By.ID, "phrase").send_keys(PASSPHRASE)
        self.browser.find_element(By.ID, "ouvrir").click()
        self.wait_for(ready.title_contains("Aujourd'hui"))
        self.browser.get(hub + "/equipe")
        table = self.wait_for(ready.presence_of_element_located((By.CLASS_NAME, "appareils"))).text
        for words in ("chu-hub (cet ordinateur)", "portable-marie", "portable-karim", "Portable de terrain"):
            self.assertIn(words, table)
        # The laptops called the hub: it shows when, though it never called them.
        self.assertRegex(table, "portable-marie Portable de terrain [^\n]* (à l'instant|il y a [0-9]+ min)(\n|$)")
        self.browser.find_element(By.ID, "invite-nom").send_keys("portable-nadia")
        self.browser.find_element(By.ID, "inviter").click()
        code = self.wait_for(ready.presence_of_element_located((By.ID, "code"))).text.strip()
        self.screenshot("invitation")
        self.check_accessibility("Invitation")
        nadia = os.path.join(self.folder, "nadia")
        self.team.relais("init", "--data", nadia, "--name", "portable-nadia")
        self.team.relais("join", "--data", nadia, "--hub", self.team.hub_address, "--token", code)
        self.browser.get(hub + "/equipe")
        karim = next(
            form for form in self.browser.find_elements(By.CSS_SELECTOR, "form[action='/equipe/revoquer']")
            if "portable-karim" in form.text
        )
        karim.find_element(By.TAG_NAME, "button").click()
        self.wait_for(ready.text_to_be_present_in_element((By.CSS_SELECTOR, "p.erreur"), "Cochez la case"))
        karim = next(
            form for form in self.browser.find_elements(By.CSS_SELECTOR, "form[action='/equipe/revoquer']")
            if "portable-karim" in form.text
        )
        karim.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
        karim.find_element(By.TAG_NAME, "button").click()
        # The page before the click has a table too: wait for the new page's message first.
        self.wait_for(ready.text_to_be_present_in_element((By.CSS_SELECTOR, "p.succes"), "révoqué"))
        table = self.browser.find_element(By.CLASS_NAME, "appareils").text
        self.assertIn("portable-nadia", table)
        self.assertRegex(table, "portable-karim\\nrévoqué le")
        self.screenshot("equipe")
        self.check_accessibility("Équipe")
        self.open("/")

    def test_3f_the_keyboard_alone_finds_a_person_and_adds_a_visit(self):
        from selenium.webdriver.support.ui import Select
        self.open("/")
        self.tab_to(lambda element: element.text == "Rechercher une personne")
        self.press(Keys.ENTER)
        self.wait_for(ready.title_contains("Rechercher"))
        self.tab_to(lambda element: element.get_attribute("id") == "q")
        self.press("popesku")
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Ioan Popesku")))
        self.tab_to(lambda element: element.text == "Ioan Popesku")
        self.press(Keys.ENTER)
        self.wait_for(ready.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Ioan Popesku"))
        self.tab_to(lambda element: element.text == "Nouvelle visite")
        self.press(Keys.ENTER)
        self.wait_for(ready.presence_of_element_located((By.ID, "champ-date")))
        self.tab_to(lambda element: element.get_attribute("id") == "champ-kind")
        self.press("Entretien")
        self.assertEqual(Select(self.browser.switch_to.active_element).first_selected_option.text, "Entretien")
        self.tab_to(lambda element: element.get_attribute("id") == "enregistrer")
        self.press(Keys.ENTER)
        self.wait_for(ready.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Ioan Popesku"))
        visits = self.browser.find_elements(By.CSS_SELECTOR, ".enregistrement")
        self.assertTrue(any("Entretien" in visit.text and time.strftime("%d/%m/%Y") in visit.text for visit in visits))

    def test_3g_every_page_fits_an_old_laptop_screen_and_half_of_one(self):
        def fits(page):
            overflow = self.browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            self.assertLessEqual(overflow, 0, f"{page} scrolls sideways at {self.browser.get_window_size()}")
        try:
            for width in (1366, 683):
                self.browser.set_window_size(width, 768)
                for path in ("/", "/rechercher", "/nouvelle-personne", "/doublons", "/equipe", "/annuaire", "/activite", "/rapport"):
                    self.open(path)
                    fits(path)
                self.open("/rechercher")
                self.browser.find_element(By.ID, "q").send_keys("popesku")
                self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Ioan Popesku"))).click()
                self.wait_for(ready.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Ioan Popesku"))
                fits("Fiche")
                self.browser.find_element(By.LINK_TEXT, "Nouvelle visite").click()
                self.wait_for(ready.presence_of_element_located((By.ID, "champ-date")))
                fits("Nouvelle visite")
        finally:
            self.browser.set_window_size(1366, 768)

    def test_3h_a_partner_joins_the_directory_and_a_referral_points_to_it(self):
        from selenium.webdriver.support.ui import Select
        self.open("/annuaire")
        conflict = self.browser.find_element(By.CSS_SELECTOR, "dd.conflit").text
        for words in ("05 61 00 00 02", "05 61 00 00 03", "portable-marie", "portable-karim"):
            self.assertIn(words, conflict)
        self.check_accessibility("Annuaire, une valeur à choisir")
        kept = next(item for item in self.browser.find_elements(By.CSS_SELECTOR, "dd.conflit li") if "00 03" in item.text)
        kept.find_element(By.TAG_NAME, "button").click()
        self.wait_for(ready.invisibility_of_element_located((By.CSS_SELECTOR, "dd.conflit")))
        page = self.browser.find_element(By.TAG_NAME, "main").text
        self.assertIn("05 61 00 00 03", page)
        self.assertNotIn("05 61 00 00 02", page)
        self.browser.find_element(By.LINK_TEXT, "Nouveau partenaire").click()
        self.wait_for(ready.presence_of_element_located((By.ID, "champ-commune"))).send_keys("Toulouse")
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.presence_of_element_located((By.ID, "erreur-name")))
        self.assertIn("Saisissez au moins le nom", self.browser.find_element(By.ID, "erreur-name").text)
        self.browser.find_element(By.ID, "champ-name").send_keys("PASS de Purpan")
        Select(self.browser.find_element(By.ID, "champ-kind")).select_by_visible_text("PASS")
        self.browser.find_element(By.NAME, "languages__ar").click()
        Select(self.browser.find_element(By.ID, "champ-accepts_new_patients")).select_by_visible_text("Oui")
        self.browser.find_element(By.ID, "champ-new_patients_capacity").send_keys("un nouveau patient par mois")
        self.browser.find_element(By.NAME, "accessibility__step_free").click()
        self.check_accessibility("Nouveau partenaire")
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "PASS de Purpan"))
        page = self.browser.find_element(By.TAG_NAME, "main").text
        for shown in ("Toulouse", "arabe", "un nouveau patient par mois", "Accès de plain-pied"):
            self.assertIn(shown, page)
        self.screenshot("annuaire")
        self.check_accessibility("Annuaire")
        self.open("/rechercher")
        self.browser.find_element(By.ID, "q").send_keys("zorglu")
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, f"Awa {MARKER}"))).click()
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Nouvelle orientation"))).click()
        Select(self.wait_for(ready.presence_of_element_located((By.ID, "champ-partner")))).select_by_visible_text(
            "PASS de Purpan — Toulouse")
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "PASS de Purpan — Toulouse"))
        partners = self.team.relais("partner", "list", "--data", self.team.marie)
        self.assertIn("PASS de Purpan", partners)
        self.assertNotIn("CONFLICT", partners)

    def test_3i_a_permanence_is_counted_without_opening_a_file(self):
        from selenium.webdriver.support.ui import Select
        self.open("/activite")
        self.browser.find_element(By.LINK_TEXT, "Nouvelle action collective").click()
        Select(self.wait_for(ready.presence_of_element_located((By.ID, "champ-kind")))).select_by_visible_text("Permanence")
        self.browser.find_element(By.ID, "champ-place_name").send_keys("Accueil de jour Saint-Sernin")
        self.browser.find_element(By.ID, "champ-persons_met").send_keys("douze")
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.presence_of_element_located((By.ID, "erreur-persons_met")))
        self.assertIn("Nombre entier attendu", self.browser.find_element(By.ID, "erreur-persons_met").text)
        self.assertIn("Rien n'a été enregistré", self.browser.find_element(By.TAG_NAME, "main").text)
        field = self.browser.find_element(By.ID, "champ-persons_met")
        field.clear()
        field.send_keys("12")
        self.browser.find_element(By.ID, "champ-interviews").send_keys("9")
        self.browser.find_element(By.NAME, "topics__rights").click()
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.text_to_be_present_in_element(
            (By.TAG_NAME, "main"), "1 action, soit 12 personnes rencontrées et 9 entretiens"))
        self.assertIn("Accueil de jour Saint-Sernin", self.browser.find_element(By.TAG_NAME, "main").text)
        self.screenshot("activite")
        self.check_accessibility("Activité collective")
        sessions = self.team.relais("collective-session", "list", "--data", self.team.marie, "--json")
        self.assertIn('"persons_met"', sessions)

    def test_3j_a_household_link_names_the_other_person_and_shows_on_both_files(self):
        from selenium.webdriver.support.ui import Select
        self.open("/rechercher")
        self.browser.find_element(By.ID, "q").send_keys("popescu")
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Ion Popescu"))).click()
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Nouveau lien familial"))).click()
        Select(self.wait_for(ready.presence_of_element_located((By.ID, "champ-relation")))).select_by_visible_text(
            "Conjoint·e")
        self.browser.find_element(By.ID, "champ-other").send_keys("Zorglub Inconnu")
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.presence_of_element_located((By.ID, "erreur-other")))
        self.assertIn("Aucune fiche ne porte ce nom", self.browser.find_element(By.ID, "erreur-other").text)
        other = self.browser.find_element(By.ID, "champ-other")
        other.clear()
        other.send_keys("diallo")
        self.browser.find_element(By.ID, "enregistrer").click()
        # The page before already shows an error under this id: wait for the new one's words.
        self.wait_for(ready.text_to_be_present_in_element((By.ID, "erreur-other"), "Plusieurs fiches portent ce nom"))
        self.check_accessibility("Nouveau lien familial, plusieurs fiches")
        Select(self.browser.find_element(By.ID, "champ-other")).select_by_visible_text("Aminata Diallo — naissance en 1987")
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Aminata Diallo")))
        self.assertIn("Conjoint·e", self.browser.find_element(By.TAG_NAME, "main").text)
        self.assertNotIn(self.team.aminata, self.browser.page_source, "an id in the page")
        self.browser.find_element(By.LINK_TEXT, "Aminata Diallo").click()
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Ion Popescu")))
        self.assertIn("Foyer et famille", self.browser.find_element(By.TAG_NAME, "main").text)
        # Corrected on Aminata's file, the link is corrected on Ion's (the form never offers to
        # change the person a link names).
        edit = "//section[.//h2[text()='Foyer et famille']]//a[contains(@href, '/enregistrement/')]"
        self.browser.find_element(By.XPATH, edit).click()
        self.assertEqual(self.browser.find_elements(By.ID, "champ-other"), [])
        Select(self.wait_for(ready.presence_of_element_located((By.ID, "champ-relation")))).select_by_visible_text(
            "Frère ou sœur")
        self.browser.find_element(By.ID, "enregistrer").click()
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Ion Popescu"))).click()
        self.wait_for(ready.presence_of_element_located((By.LINK_TEXT, "Aminata Diallo")))
        family = self.browser.find_element(By.XPATH, "//section[.//h2[text()='Foyer et famille']]").text
        self.assertIn("Frère ou sœur", family)
        self.assertNotIn("Conjoint·e", family)

    def test_3k_the_activity_report_draws_its_charts_and_prints_on_a4(self):
        from selenium.webdriver.support.ui import Select
        # A hub of its own with six months of a fictional programme, so that figures are not all "< 5".
        data = os.path.join(self.folder, "hub-rapport")
        self.team.relais("init", "--data", data, "--name", "chu-rapport")
        self.team.relais("team", "create", "--data", data, "--name", "CHU")
        self.team.relais("demo-caseload", "--data", data, "--persons", "150")
        ui = free_port()
        self.team.serve(data, free_port(), "--ui", f"127.0.0.1:{ui}")
        base = f"http://127.0.0.1:{ui}"
        self.browser.get(base + "/connexion")
        self.browser.find_element(By.ID, "phrase").send_keys(PASSPHRASE)
        self.browser.find_element(By.ID, "ouvrir").click()
        self.wait_for(ready.title_contains("Aujourd'hui"))
        self.browser.find_element(By.LINK_TEXT, "Rapport").click()
        self.wait_for(ready.presence_of_element_located((By.CSS_SELECTOR, "table.chiffres")))
        first, last = (self.browser.find_element(By.ID, name).get_attribute("value") for name in ("du", "au"))
        figures = json.loads(self.team.relais("report", "--data", data, "--from", first, "--to", last, "--format", "json"))
        visits = next(item for item in figures["indicators"] if item["code"] == "visits")["value"]
        row = next(
            line for line in self.browser.find_element(By.CSS_SELECTOR, "table.chiffres").text.split("\n")
            if line.startswith("Visites et accompagnements"))
        self.assertEqual(row.replace("\u202f", "").replace(" ", "").replace("Visitesetaccompagnements", ""), str(int(visits)))
        self.assertGreaterEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "figure.graphique svg rect")), 20)
        self.assertIn("Orientations par destination", self.browser.find_element(By.TAG_NAME, "main").text)
        self.screenshot("rapport")
        self.check_accessibility("Rapport d'activité")

        Select(self.browser.find_element(By.ID, "par")).select_by_visible_text("par équipe")
        self.browser.find_element(By.ID, "afficher").click()
        self.wait_for(ready.text_to_be_present_in_element((By.TAG_NAME, "main"), "Répartition par équipe"))
        self.assertIn("Équipe Nord", self.browser.find_element(By.CSS_SELECTOR, "table.detail-rapport").text)

        # Printed: no menu nor form, nothing wider than an A4 page, a few pages at most.
        self.browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            self.assertFalse(self.browser.find_element(By.CSS_SELECTOR, "header.barre").is_displayed())
            self.assertFalse(self.browser.find_element(By.CSS_SELECTOR, "form.filtre").is_displayed())
        finally:
            self.browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        pdf = base64.b64decode(self.browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
        pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
        self.assertTrue(1 <= pages <= 5, f"{pages} A4 pages")
        boxes = set(re.findall(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf))
        self.assertEqual({(round(float(w)), round(float(h))) for w, h in boxes}, {(595, 842)}, "A4 paper, in points")

        self.browser.get(base + "/rapport?du=2026-05&au=2026-01")
        self.assertIn("Le premier mois vient après le dernier", self.browser.find_element(By.CSS_SELECTOR, "p.erreur").text)
        self.browser.get(base + "/rapport?du=mai&au=2026-01")
        self.assertIn("Choisissez le premier et le dernier mois", self.browser.find_element(By.CSS_SELECTOR, "p.erreur").text)

    def test_3z_sync_now_shows_its_outcome_in_words(self):
        self.open("/")
        if self.browser.current_url.endswith("/connexion"):
            self.log_in()
        self.browser.find_element(By.XPATH, "//button[text()='Synchroniser maintenant']").click()
        outcome = self.wait_for(ready.presence_of_element_located((By.ID, "resultat-synchro")), seconds=30)
        self.assertIn("Synchronisé avec le hub", outcome.text)
        self.team.processes[0].terminate()
        self.team.processes[0].wait(timeout=30)
        self.browser.find_element(By.XPATH, "//button[text()='Synchroniser maintenant']").click()
        self.wait_for(ready.text_to_be_present_in_element((By.ID, "resultat-synchro"), "pas joignable"), seconds=30)
        self.assertIn("vos saisies sont gardées sur cet ordinateur", self.browser.find_element(By.ID, "resultat-synchro").text)
        self.check_accessibility("Aujourd'hui, après une synchronisation")

    def test_4_lock_closes_the_session(self):
        self.open("/")
        self.browser.find_element(By.ID, "verrouiller").click()
        self.wait_for(ready.presence_of_element_located((By.ID, "phrase")))
        self.open("/rechercher")
        self.assertTrue(self.browser.current_url.endswith("/connexion"))

    def test_5_requests_from_elsewhere_are_refused_and_nothing_is_cached(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.team.ui_port, timeout=10)
        connection.request("GET", "/connexion", headers={"Host": f"relais.example.org:{self.team.ui_port}"})
        response = connection.getresponse()
        response.read()
        self.assertEqual(response.status, 421, "a rebound name reached the app")
        connection.request("GET", "/connexion")
        response = connection.getresponse()
        response.read()
        self.assertEqual(response.getheader("Cache-Control"), "no-store")
        self.assertIn("default-src 'self'", response.getheader("Content-Security-Policy"))
        cookie = response.getheader("Set-Cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        connection.request(
            "POST", "/rechercher", body="q=diallo", headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        response.read()
        self.assertEqual((response.status, response.getheader("Location")), (303, "/connexion"), "a form without its token")
        connection.close()

    def test_6_the_browser_profile_holds_no_personal_data(self):
        # Closed as a person closes it: Chromium writes its history and session files on the way out.
        type(self).browser.quit()
        type(self).browser = None
        found = []
        for root, _, files in os.walk(self.profile):
            for name in files:
                path = os.path.join(root, name)
                try:
                    with open(path, "rb") as file:
                        content = file.read()
                except OSError:
                    continue
                for marker in (MARKER, "Aminata", PASSPHRASE):
                    for encoding in ("utf-8", "utf-16-le"):
                        if marker.encode(encoding) in content or marker.lower().encode(encoding) in content:
                            found.append(f"{marker} in {os.path.relpath(path, self.profile)}")
        self.assertEqual(found, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
