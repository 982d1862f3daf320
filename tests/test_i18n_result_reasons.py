"""The live-API checks' reasons (checks/api) in French and German: every sentence they write, exactly; a sentence
added to the checks without a pattern fails here; and a report shows the translation where it showed the English.

The English is the checks' contract (the JSON report keeps it); render/i18n_results.py matches it (_API, _API_PARTS)
and rebuilds it from [fr.result_reasons] / [de.result_reasons] in ldt_conform/i18n.toml. IDs, URLs, requests, counts
and what a library or the server said (HTTP 503, "Connection refused", "conformsTo missing") stay as they are.
"""
from __future__ import annotations

import ast
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import pytest

from ldt_conform.checks import api as checks_api
from ldt_conform.checks.api import ngsi_subscriptions
from ldt_conform.model import Result, Status, Why
from ldt_conform.render import html, i18n, i18n_results
from ldt_conform.render.junit import render as render_junit
from ldt_conform.render.sarif import to_sarif
from test_i18n import visible

sys.path.insert(0, str(Path(__file__).resolve().parent / "reports"))
import factory

# (English as a check writes it, French, German): one case per sentence of checks/api (and per plural form, per
# sub-sentence of a walk that stopped), then reasons joined by "; " and the "not tested: …" of passes with limits.
CASES = [
    ("the API was not reachable: HTTP 503 (GET /)",
     "l'API n'était pas joignable : HTTP 503 (GET /)",
     "die API war nicht erreichbar: HTTP 503 (GET /)"),
    ("unknown API family 'wfs' in the profile",
     "famille d'API inconnue « wfs » dans le profil",
     "unbekannte API-Familie „wfs“ im Profil"),
    ("applies to sensorthings APIs; this target is ogcapi-features/ogcapi-records",
     "s'applique aux API sensorthings ; cette cible est une API ogcapi-features/ogcapi-records",
     "gilt für sensorthings-APIs; dieser Prüfgegenstand ist eine ogcapi-features/ogcapi-records-API"),
    ("applies to ngsi-ld APIs; this target is unknown",
     "s'applique aux API ngsi-ld ; le type de cette cible est inconnu",
     "gilt für ngsi-ld-APIs; die Art dieses Prüfgegenstands ist unbekannt"),
    ("not selected: a write probe, which runs only with --allow-writes (it writes to the API, then cleans up)",
     "non sélectionnée : une sonde en écriture, qui ne s'exécute qu'avec --allow-writes (elle écrit dans l'API, puis "
     "nettoie)",
     "nicht ausgewählt: eine Schreibprobe, die nur mit --allow-writes läuft (sie schreibt in die API und räumt "
     "danach auf)"),
    ("circular 'requires' between rules",
     "dépendances « requires » circulaires entre les règles",
     "zirkuläre „requires“-Abhängigkeiten zwischen Regeln"),
    ("prerequisite OAFEAT-003 failed",
     "le prérequis OAFEAT-003 a échoué",
     "die Voraussetzung OAFEAT-003 ist fehlgeschlagen"),
    ("prerequisite OAFEAT-003 was skipped",
     "le prérequis OAFEAT-003 n'a pas été vérifié",
     "die Voraussetzung OAFEAT-003 wurde nicht geprüft"),
    ("prerequisite OAFEAT-003 could not be evaluated",
     "le prérequis OAFEAT-003 n'a pas pu être évalué",
     "die Voraussetzung OAFEAT-003 konnte nicht ausgewertet werden"),
    ("no test named 'landing_pages' in the ogcapi-features family",
     "aucun test nommé « landing_pages » dans la famille ogcapi-features",
     "kein Test namens „landing_pages“ in der Familie ogcapi-features"),
    ("the declared conformance classes could not be read (GET /conformance: conformsTo missing)",
     "les classes de conformité déclarées n'ont pas pu être lues (GET /conformance : conformsTo missing)",
     "die erklärten Konformitätsklassen konnten nicht gelesen werden (GET /conformance: conformsTo missing)"),
    ("the server does not declare the conformance class (conf/geojson)",
     "le serveur ne déclare pas la classe de conformité (conf/geojson)",
     "der Server erklärt die Konformitätsklasse nicht (conf/geojson)"),
    ("prerequisite LDT-601 failed: the endpoint is plain HTTP, it has no TLS",
     "le prérequis LDT-601 a échoué : le point d'accès est en HTTP simple, sans TLS",
     "die Voraussetzung LDT-601 ist fehlgeschlagen: der Endpunkt nutzt einfaches HTTP ohne TLS"),
    ("prerequisite LDT-602 failed: no TLS connection: [Errno 111] Connection refused",
     "le prérequis LDT-602 a échoué : aucune connexion TLS : [Errno 111] Connection refused",
     "die Voraussetzung LDT-602 ist fehlgeschlagen: keine TLS-Verbindung: [Errno 111] Connection refused"),
    ("prerequisite LDT-604 failed: clients ignore HSTS from a host whose certificate they cannot verify",
     "le prérequis LDT-604 a échoué : les clients ignorent le HSTS d'un hôte dont ils ne peuvent pas vérifier le "
     "certificat",
     "die Voraussetzung LDT-604 ist fehlgeschlagen: Clients ignorieren HSTS eines Hosts, dessen Zertifikat sie nicht "
     "prüfen können"),
    ("not verified: this machine's OpenSSL cannot offer TLSv1 and TLSv1.1, so whether the server refuses them is "
     "unknown (it negotiates TLSv1.3)",
     "non vérifiée : l'OpenSSL de cette machine ne peut pas proposer TLSv1 et TLSv1.1, on ne sait donc pas si le "
     "serveur refuse ces versions (il négocie TLSv1.3)",
     "nicht geprüft: das OpenSSL dieses Rechners kann TLSv1 und TLSv1.1 nicht anbieten, daher ist unbekannt, ob der "
     "Server diese Versionen ablehnt (er handelt TLSv1.3 aus)"),
    ("not verified: this machine's OpenSSL cannot offer TLSv1, so whether the server refuses it is unknown (it "
     "negotiates TLSv1.2)",
     "non vérifiée : l'OpenSSL de cette machine ne peut pas proposer TLSv1, on ne sait donc pas si le serveur refuse "
     "cette version (il négocie TLSv1.2)",
     "nicht geprüft: das OpenSSL dieses Rechners kann TLSv1 nicht anbieten, daher ist unbekannt, ob der Server diese "
     "Version ablehnt (er handelt TLSv1.2 aus)"),
    ("could not fetch the endpoint: connection timed out after 30 s",
     "le point d'accès n'a pas pu être obtenu : connection timed out after 30 s",
     "der Endpunkt konnte nicht abgerufen werden: connection timed out after 30 s"),
    ("no OpenID Connect / OAuth 2 authentication is declared for this endpoint",
     "aucune authentification OpenID Connect / OAuth 2 n'est déclarée pour ce point d'accès",
     "für diesen Endpunkt ist keine Authentifizierung über OpenID Connect / OAuth 2 angegeben"),
    ("unknown transport assertion {'assert': 'ocsp'}",
     "assertion de transport inconnue {'assert': 'ocsp'}",
     "unbekannte Transportprüfung {'assert': 'ocsp'}"),
    ("the broker holds no entity (GET /ngsi-ld/v1/types is empty)",
     "le courtier ne contient aucune entité (GET /ngsi-ld/v1/types est vide)",
     "der Broker enthält keine Entität (GET /ngsi-ld/v1/types ist leer)"),
    ("the query for type WeatherObserved returned no entity",
     "la requête sur le type WeatherObserved n'a renvoyé aucune entité",
     "die Abfrage nach dem Typ WeatherObserved lieferte keine Entität"),
    ("GET /ngsi-ld/v1/entities?type=Road&q=lanes==2&limit=100 answered an empty page that links a next one: nothing "
     "to check the filter against",
     "GET /ngsi-ld/v1/entities?type=Road&q=lanes==2&limit=100 a répondu par une page vide qui renvoie à une page "
     "suivante : rien sur quoi vérifier le filtre",
     "GET /ngsi-ld/v1/entities?type=Road&q=lanes==2&limit=100 lieferte eine leere Seite, die auf eine nächste "
     "verweist: nichts, woran der Filter geprüft werden könnte"),
    ("entity urn:ngsi-ld:Road:1 has no Property with one number or plain-text value to filter on",
     "l'entité urn:ngsi-ld:Road:1 n'a aucune Property à valeur unique, numérique ou en texte simple, sur laquelle "
     "filtrer",
     "die Entität urn:ngsi-ld:Road:1 hat keine Property mit genau einem Zahlen- oder Klartextwert, nach dem "
     "gefiltert werden könnte"),
    ("entity urn:ngsi-ld:Road:1 has 1 attribute: a projection needs one to keep and one to leave out",
     "l'entité urn:ngsi-ld:Road:1 a 1 attribut : une projection en demande un à garder et un à écarter",
     "die Entität urn:ngsi-ld:Road:1 hat 1 Attribut: eine Projektion braucht eines, das bleibt, und eines, das "
     "wegfällt"),
    ("entity urn:ngsi-ld:Road:1 has 0 attributes: a projection needs one to keep and one to leave out",
     "l'entité urn:ngsi-ld:Road:1 a 0 attribut : une projection en demande un à garder et un à écarter",
     "die Entität urn:ngsi-ld:Road:1 hat 0 Attribute: eine Projektion braucht eines, das bleibt, und eines, das "
     "wegfällt"),
    ("no entity of type Road but urn:ngsi-ld:Road:1 that id= can name among the 1 read: id= needs two entities of "
     "the type to ask for",
     "aucune entité du type Road autre que urn:ngsi-ld:Road:1 que id= puisse désigner parmi 1 entité lue : id= "
     "demande deux entités de ce type",
     "keine Entität vom Typ Road außer urn:ngsi-ld:Road:1, die id= benennen könnte, unter 1 gelesenen Entität: id= "
     "braucht zwei Entitäten des Typs"),
    ("no entity of type Road but urn:ngsi-ld:Road:1 that id= can name among the 3 read (the walk stopped at the "
     "10-page cap): id= needs two entities of the type to ask for",
     "aucune entité du type Road autre que urn:ngsi-ld:Road:1 que id= puisse désigner parmi les 3 entités lues (le "
     "parcours s'est arrêté au plafond de 10 pages) : id= demande deux entités de ce type",
     "keine Entität vom Typ Road außer urn:ngsi-ld:Road:1, die id= benennen könnte, unter den 3 gelesenen Entitäten "
     "(der Durchlauf endete an der Obergrenze von 10 Seiten): id= braucht zwei Entitäten des Typs"),
    ("entity id urn:ngsi-ld:Road:a+b holds a character that regular-expression dialects write differently: no "
     "pattern is sure to mean the same to the broker",
     "l'id d'entité urn:ngsi-ld:Road:a+b contient un caractère que les dialectes d'expressions régulières écrivent "
     "différemment : aucun motif n'est sûr d'avoir le même sens pour le courtier",
     "die Entitäts-ID urn:ngsi-ld:Road:a+b enthält ein Zeichen, das Dialekte regulärer Ausdrücke unterschiedlich "
     "schreiben: kein Muster bedeutet für den Broker sicher dasselbe"),
    ("1000 entities of type Road read (the walk stopped at the 10-page cap), NGSILD-Results-Count 1500: the result "
     "was not read whole, so the count is not verified",
     "1\u202f000 entités du type Road lues (le parcours s'est arrêté au plafond de 10 pages), NGSILD-Results-Count "
     "1500 : le résultat n'a pas été lu en entier, le décompte n'est donc pas vérifié",
     "1.000 Entitäten vom Typ Road gelesen (der Durchlauf endete an der Obergrenze von 10 Seiten), "
     "NGSILD-Results-Count 1500: das Ergebnis wurde nicht vollständig gelesen, daher ist die Anzahl nicht geprüft"),
    ("entity urn:ngsi-ld:Road:1 has no GeoProperty location holding a Point: no position to ask around",
     "l'entité urn:ngsi-ld:Road:1 n'a pas de GeoProperty location contenant un Point : aucune position autour de "
     "laquelle interroger",
     "die Entität urn:ngsi-ld:Road:1 hat keine GeoProperty location mit einem Point: keine Position, um die herum "
     "abgefragt werden könnte"),
    ("write probe: run with --allow-writes to create, update and delete a probe entity",
     "sonde en écriture : relancez avec --allow-writes pour créer, modifier et supprimer une entité de test",
     "Schreibprobe: führen Sie den Lauf mit --allow-writes aus, um eine Probe-Entität anzulegen, zu ändern und zu "
     "löschen"),
    ("cannot listen for notifications on 127.0.0.1:8765: Address already in use",
     "impossible d'écouter les notifications sur 127.0.0.1:8765 : Address already in use",
     "Benachrichtigungen können auf 127.0.0.1:8765 nicht empfangen werden: Address already in use"),
    ("not selected: a write probe (it creates an entity and a subscription, and deletes both); run with "
     "--allow-writes to verify subscriptions",
     "non sélectionnée : une sonde en écriture (elle crée une entité et un abonnement, puis supprime les deux) ; "
     "relancez avec --allow-writes pour vérifier les abonnements",
     "nicht ausgewählt: eine Schreibprobe (sie legt eine Entität und ein Abonnement an und löscht beide); führen Sie "
     "den Lauf mit --allow-writes aus, um Abonnements zu prüfen"),
    ("the probe subscription was not created (NGSILD-031)",
     "l'abonnement de test n'a pas été créé (NGSILD-031)",
     "das Probe-Abonnement wurde nicht angelegt (NGSILD-031)"),
    ("not selected: the broker at broker.example.org cannot be assumed to reach a receiver on this machine; give "
     "--notify-url (and --notify-listen) with an address it can reach",
     "non sélectionnée : rien ne garantit que le courtier sur broker.example.org puisse joindre un récepteur sur "
     "cette machine ; indiquez --notify-url (et --notify-listen) avec une adresse qu'il peut joindre",
     "nicht ausgewählt: es ist nicht anzunehmen, dass der Broker auf broker.example.org einen Empfänger auf diesem "
     "Rechner erreicht; geben Sie --notify-url (und --notify-listen) mit einer Adresse an, die er erreichen kann"),
    ("the broker reports that it could not deliver the notification to http://10.0.0.5:8765/notify "
     "(notification.status=failed, notification.timesFailed=2): it cannot reach this machine there; give "
     "--notify-url with an address it can reach",
     "le courtier indique qu'il n'a pas pu remettre la notification à http://10.0.0.5:8765/notify "
     "(notification.status=failed, notification.timesFailed=2) : il ne peut pas joindre cette machine à cette "
     "adresse ; indiquez --notify-url avec une adresse qu'il peut joindre",
     "der Broker meldet, dass er die Benachrichtigung nicht an http://10.0.0.5:8765/notify zustellen konnte "
     "(notification.status=failed, notification.timesFailed=2): er erreicht diesen Rechner dort nicht; geben Sie "
     "--notify-url mit einer Adresse an, die er erreichen kann"),
    ("the API offers no feature or record collection to test",
     "l'API n'offre aucune collection de type feature ou record à tester",
     "die API bietet keine Collection vom Typ feature oder record zum Testen"),
    ("the API offers no record collection to test",
     "l'API n'offre aucune collection de type record à tester",
     "die API bietet keine Collection vom Typ record zum Testen"),
    ("prerequisite OAFEAT-010, OAFEAT-011 failed for every collection to test",
     "prérequis OAFEAT-010, OAFEAT-011 en échec pour chaque collection à tester",
     "Voraussetzung OAFEAT-010, OAFEAT-011 für jede zu testende Collection fehlgeschlagen"),
    ("collection lakes has no item to test",
     "la collection lakes n'a aucun élément à tester",
     "die Collection lakes hat kein Element zum Testen"),
    ("the first item of lakes has no id",
     "le premier élément de lakes n'a pas d'id",
     "das erste Element von lakes hat keine id"),
    ("the landing page has no service-desc link to an API definition",
     "la page d'accueil n'a pas de lien service-desc vers une définition de l'API",
     "die Einstiegsseite hat keinen service-desc-Link zu einer API-Definition"),
    ("no feature of collection lakes has a temporal property to compare datetime with",
     "aucun objet géographique de la collection lakes n'a de propriété temporelle à comparer avec datetime",
     "kein Geoobjekt der Collection lakes hat eine zeitliche Eigenschaft, mit der datetime verglichen werden könnte"),
    ("datetime on collection lakes returned no feature to any of its 5 queries and no feature is owed to them (no "
     "feature has all its temporal values inside them, and the server chooses which it filters on): nothing was "
     "verified",
     "datetime sur la collection lakes n'a renvoyé aucun objet géographique pour ses 5 requêtes, et aucun n'y était "
     "attendu (aucun objet géographique n'a toutes ses valeurs temporelles à l'intérieur, et le serveur choisit "
     "celle sur laquelle il filtre) : rien n'a été vérifié",
     "datetime auf der Collection lakes lieferte für keine der 5 Abfragen ein Geoobjekt, und keines war dort zu "
     "erwarten (kein Geoobjekt liegt mit all seinen Zeitwerten darin, und der Server wählt, nach welchem er "
     "filtert): nichts wurde geprüft"),
    ("datetime on collection lakes returned no feature to any of its 5 queries and no feature is owed to them (the "
     "collection was not read whole: the walk stopped at the 33,554,432-byte cap): nothing was verified",
     "datetime sur la collection lakes n'a renvoyé aucun objet géographique pour ses 5 requêtes, et aucun n'y était "
     "attendu (la collection n'a pas été lue en entier : le parcours s'est arrêté au plafond de 33\u202f554\u202f432 "
     "octets) : rien n'a été vérifié",
     "datetime auf der Collection lakes lieferte für keine der 5 Abfragen ein Geoobjekt, und keines war dort zu "
     "erwarten (die Collection wurde nicht vollständig gelesen: der Durchlauf endete an der Obergrenze von "
     "33.554.432 Byte): nichts wurde geprüft"),
    ("no feature of collection lakes has a geometry to query bbox with",
     "aucun objet géographique de la collection lakes n'a de géométrie avec laquelle interroger bbox",
     "kein Geoobjekt der Collection lakes hat eine Geometrie, mit der bbox abgefragt werden könnte"),
    ("numberMatched=12 of collection lakes not verified: GET /collections/lakes/items?limit=100&offset=100 holds no "
     "features array to count (see OAFEAT-016)",
     "numberMatched=12 de la collection lakes non vérifié : GET /collections/lakes/items?limit=100&offset=100 ne "
     "contient pas de tableau features à compter (voir OAFEAT-016)",
     "numberMatched=12 der Collection lakes nicht geprüft: GET /collections/lakes/items?limit=100&offset=100 enthält "
     "kein features-Array zum Zählen (siehe OAFEAT-016)"),
    ("numberMatched=5000 of collection lakes not verified: the walk stopped at the 1,000-feature cap after 1000 "
     "features",
     "numberMatched=5000 de la collection lakes non vérifié : le parcours s'est arrêté au plafond de 1\u202f000 "
     "objets géographiques après 1\u202f000 objets géographiques",
     "numberMatched=5000 der Collection lakes nicht geprüft: der Durchlauf endete an der Obergrenze von 1.000 "
     "Geoobjekten nach 1.000 Geoobjekten"),
    ("numberMatched=5000 of collection lakes not verified: page 3 failed: HTTP 500 after 1 features",
     "numberMatched=5000 de la collection lakes non vérifié : la page 3 a échoué : HTTP 500 après 1 objet "
     "géographique",
     "numberMatched=5000 der Collection lakes nicht geprüft: Seite 3 ist fehlgeschlagen: HTTP 500 nach 1 Geoobjekt"),
    ("the OGC schema featureCollectionGeoJSON "
     "(https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml) is not available "
     "offline; the features obey RFC 7946",
     "le schéma OGC featureCollectionGeoJSON "
     "(https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml) n'est pas disponible "
     "hors ligne ; les objets géographiques respectent la RFC 7946",
     "das OGC-Schema featureCollectionGeoJSON "
     "(https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml) ist offline nicht "
     "verfügbar; die Geoobjekte entsprechen RFC 7946"),
    ("the landing page links no API definition",
     "la page d'accueil ne renvoie à aucune définition de l'API",
     "die Einstiegsseite verlinkt keine API-Definition"),
    ("the items of collection lakes could not be read (HTTP 500)",
     "les éléments de la collection lakes n'ont pas pu être lus (HTTP 500)",
     "die Elemente der Collection lakes konnten nicht gelesen werden (HTTP 500)"),
    ("the service-desc document is not an OpenAPI document (no openapi field; see OAFEAT-005)",
     "le document service-desc n'est pas un document OpenAPI (no openapi field ; voir OAFEAT-005)",
     "das service-desc-Dokument ist kein OpenAPI-Dokument (no openapi field; siehe OAFEAT-005)"),
    ("the limit parameter may be defined in "
     "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/parameters/limit.yaml, which is not available "
     "offline",
     "le paramètre limit est peut-être défini dans "
     "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/parameters/limit.yaml, qui n'est pas disponible "
     "hors ligne",
     "der Parameter limit ist möglicherweise in "
     "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/parameters/limit.yaml definiert, das offline "
     "nicht verfügbar ist"),
    ("the bbox parameter may be defined in https://api.example.org/ogc/parameters.yaml, which the API did not serve",
     "le paramètre bbox est peut-être défini dans https://api.example.org/ogc/parameters.yaml, que l'API n'a pas "
     "fourni",
     "der Parameter bbox ist möglicherweise in https://api.example.org/ogc/parameters.yaml definiert, das die API "
     "nicht ausgeliefert hat"),
    ("no string queryable of collection lakes has a value in its features",
     "aucun queryable de type chaîne de la collection lakes n'a de valeur dans ses objets géographiques",
     "kein Queryable vom Typ String der Collection lakes hat einen Wert in ihren Geoobjekten"),
    ("no catalogue holds a record to test",
     "aucun catalogue ne contient d'enregistrement à tester",
     "kein Katalog enthält einen Eintrag zum Testen"),
    ("the first record has no title word to search for",
     "le premier enregistrement n'a aucun mot de titre à rechercher",
     "der erste Eintrag hat kein Titelwort, nach dem gesucht werden könnte"),
    ("no record of catalogue datasets has a geometry to query bbox with",
     "aucun enregistrement du catalogue datasets n'a de géométrie avec laquelle interroger bbox",
     "kein Eintrag des Katalogs datasets hat eine Geometrie, mit der bbox abgefragt werden könnte"),
    ("the first record has no single properties.type to search for",
     "le premier enregistrement n'a pas de properties.type unique à rechercher",
     "der erste Eintrag hat keinen einzelnen properties.type, nach dem gesucht werden könnte"),
    ("no record has a time to compare datetime with",
     "aucun enregistrement n'a de date à comparer avec datetime",
     "kein Eintrag hat eine Zeitangabe, mit der datetime verglichen werden könnte"),
    ("datetime returned no record to 2024-05-01T00:00:00Z or 2024-01-01T00:00:00Z/2024-12-31T00:00:00Z and no record "
     "is owed to them (no record has all its times inside them, and the server chooses which time it filters on): "
     "nothing was verified",
     "datetime n'a renvoyé aucun enregistrement pour 2024-05-01T00:00:00Z ou "
     "2024-01-01T00:00:00Z/2024-12-31T00:00:00Z, et aucun n'y était attendu (aucun enregistrement n'a toutes ses "
     "dates à l'intérieur, et le serveur choisit celle sur laquelle il filtre) : rien n'a été vérifié",
     "datetime lieferte für 2024-05-01T00:00:00Z oder 2024-01-01T00:00:00Z/2024-12-31T00:00:00Z keinen Eintrag, und "
     "keiner war dort zu erwarten (kein Eintrag liegt mit all seinen Zeitangaben darin, und der Server wählt, nach "
     "welcher er filtert): nichts wurde geprüft"),
    ("datetime returned no record to 2024-05-01T00:00:00Z or 2024-01-01T00:00:00Z/2024-12-31T00:00:00Z and no record "
     "is owed to them (the catalogue was not read whole (the next link points to another host)): nothing was verified",
     "datetime n'a renvoyé aucun enregistrement pour 2024-05-01T00:00:00Z ou "
     "2024-01-01T00:00:00Z/2024-12-31T00:00:00Z, et aucun n'y était attendu (le catalogue n'a pas été lu en entier "
     "(le lien next mène à un autre hôte)) : rien n'a été vérifié",
     "datetime lieferte für 2024-05-01T00:00:00Z oder 2024-01-01T00:00:00Z/2024-12-31T00:00:00Z keinen Eintrag, und "
     "keiner war dort zu erwarten (der Katalog wurde nicht vollständig gelesen (der next-Link verweist auf einen "
     "anderen Host)): nichts wurde geprüft"),
    ("not an OpenAPI 3.0/3.1 document (see the version rule)",
     "ce n'est pas un document OpenAPI 3.0/3.1 (voir la règle sur la version)",
     "kein OpenAPI-Dokument der Version 3.0/3.1 (siehe die Regel zur Version)"),
    ("the $ref #/components/schemas/Lake points at nothing (see OAS-004): the description cannot be validated past it",
     "le $ref #/components/schemas/Lake ne pointe sur rien (voir OAS-004) : la description ne peut pas être validée "
     "au-delà",
     "der $ref #/components/schemas/Lake zeigt ins Leere (siehe OAS-004): die Beschreibung kann darüber hinaus nicht "
     "validiert werden"),
    ("the referenced https://api.example.org/ogc/schemas.yaml could not be read (see OAS-004): what lies behind "
     "those references was not validated",
     "le document référencé https://api.example.org/ogc/schemas.yaml n'a pas pu être lu (voir OAS-004) : ce qui se "
     "trouve derrière ces références n'a pas été validé",
     "das referenzierte Dokument https://api.example.org/ogc/schemas.yaml konnte nicht gelesen werden (siehe "
     "OAS-004): was hinter diesen Verweisen liegt, wurde nicht validiert"),
    ("the referenced https://api.example.org/a.yaml, https://api.example.org/b.yaml, https://api.example.org/c.yaml "
     "and 1 more could not be read (see OAS-004): what lies behind those references was not validated",
     "les documents référencés https://api.example.org/a.yaml, https://api.example.org/b.yaml, "
     "https://api.example.org/c.yaml et 1 autre n'ont pas pu être lus (voir OAS-004) : ce qui se trouve derrière ces "
     "références n'a pas été validé",
     "die referenzierten Dokumente https://api.example.org/a.yaml, https://api.example.org/b.yaml, "
     "https://api.example.org/c.yaml und 1 weiteres konnten nicht gelesen werden (siehe OAS-004): was hinter diesen "
     "Verweisen liegt, wurde nicht validiert"),
    ("only the description's own shape was validated: the referenced https://schemas.opengis.net/ogcapi/common.yaml "
     "is not in the artefact store (see LC-004)",
     "seule la structure propre de la description a été validée : le document référencé "
     "https://schemas.opengis.net/ogcapi/common.yaml n'est pas dans le magasin d'artefacts (voir LC-004)",
     "nur die eigene Struktur der Beschreibung wurde validiert: das referenzierte Dokument "
     "https://schemas.opengis.net/ogcapi/common.yaml liegt nicht im Artefaktspeicher (siehe LC-004)"),
    ("only the description's own shape was validated: the referenced https://schemas.opengis.net/a.yaml, "
     "https://schemas.opengis.net/b.yaml are not in the artefact store (see LC-004)",
     "seule la structure propre de la description a été validée : les documents référencés "
     "https://schemas.opengis.net/a.yaml, https://schemas.opengis.net/b.yaml ne sont pas dans le magasin d'artefacts "
     "(voir LC-004)",
     "nur die eigene Struktur der Beschreibung wurde validiert: die referenzierten Dokumente "
     "https://schemas.opengis.net/a.yaml, https://schemas.opengis.net/b.yaml liegen nicht im Artefaktspeicher (siehe "
     "LC-004)"),
    ("only the description's own shape was validated: 52 referenced documents of the API past the first 50 were not "
     "read (https://api.example.org/d51.yaml, https://api.example.org/d52.yaml)",
     "seule la structure propre de la description a été validée : 52 documents référencés de l'API au-delà des 50 "
     "premiers n'ont pas été lus (https://api.example.org/d51.yaml, https://api.example.org/d52.yaml)",
     "nur die eigene Struktur der Beschreibung wurde validiert: 52 referenzierte Dokumente der API jenseits der "
     "ersten 50 wurden nicht gelesen (https://api.example.org/d51.yaml, https://api.example.org/d52.yaml)"),
    ("the description expands to more than 200,000 nodes through its $refs: the referenced parts were not validated",
     "la description s'étend à plus de 200\u202f000 nœuds par ses $ref : les parties référencées n'ont pas été "
     "validées",
     "die Beschreibung wächst über ihre $refs auf mehr als 200.000 Knoten an: die referenzierten Teile wurden nicht "
     "validiert"),
    ("the service root has no serverSettings.conformance (a SensorThings 1.0 server?)",
     "la racine du service n'a pas de serverSettings.conformance (un serveur SensorThings 1.0 ?)",
     "das Service-Root-Dokument hat kein serverSettings.conformance (ein SensorThings-1.0-Server?)"),
    ("the service holds no Datastreams to test",
     "le service ne contient aucune entité Datastreams à tester",
     "der Dienst enthält keine Datastreams-Entität zum Testen"),
    ("the first Thing has no Datastreams navigation link",
     "le premier Thing n'a pas de lien de navigation Datastreams",
     "das erste Thing hat keinen Datastreams-Navigationslink"),
    ("fewer than two Observations (1): $top=1 cannot be seen to cut the set",
     "moins de deux Observations (1) : impossible de voir $top=1 réduire l'ensemble",
     "weniger als zwei Observations (1): dass $top=1 die Menge kürzt, ist nicht erkennbar"),
    ("1000 Things read in 10 pages, @iot.count 4200: the set was not read whole, so the count is not verified",
     "1\u202f000 Things lus en 10 pages, @iot.count 4200 : l'ensemble n'a pas été lu en entier, le décompte n'est "
     "donc pas vérifié",
     "1.000 Things in 10 Seiten gelesen, @iot.count 4200: die Menge wurde nicht vollständig gelesen, daher ist die "
     "Anzahl nicht geprüft"),
    ("the service holds no Thing with a name to select",
     "le service ne contient aucun Thing avec un name à sélectionner",
     "der Dienst enthält kein Thing mit einem name, das ausgewählt werden könnte"),
    ("fewer than two Observations (0): $top=1 cuts nothing, so there is no next page",
     "moins de deux Observations (0) : $top=1 ne retranche rien, il n'y a donc pas de page suivante",
     "weniger als zwei Observations (0): $top=1 kürzt nichts, daher gibt es keine nächste Seite"),
    ("GET /v1.1/Observations?$top=1&$count=true returned 1 Observations, all the set is known to hold: no partial "
     "page to follow (see STA-012)",
     "GET /v1.1/Observations?$top=1&$count=true a renvoyé 1 Observation, soit tout ce que l'ensemble est censé "
     "contenir : aucune page partielle à suivre (voir STA-012)",
     "GET /v1.1/Observations?$top=1&$count=true lieferte 1 Observation, alles, was die Menge bekanntermaßen enthält: "
     "keine Teilseite, der gefolgt werden könnte (siehe STA-012)"),
    ("GET /v1.1/Observations?$top=1&$count=true returned 2 Observations, all the set is known to hold: no partial "
     "page to follow (see STA-012)",
     "GET /v1.1/Observations?$top=1&$count=true a renvoyé 2 Observations, soit tout ce que l'ensemble est censé "
     "contenir : aucune page partielle à suivre (voir STA-012)",
     "GET /v1.1/Observations?$top=1&$count=true lieferte 2 Observations, alles, was die Menge bekanntermaßen "
     "enthält: keine Teilseite, der gefolgt werden könnte (siehe STA-012)"),
    ("GET /v1.1/Observations?$top=1&$count=true answered an empty page: no entity to tell the next page from this "
     "one (see STA-012)",
     "GET /v1.1/Observations?$top=1&$count=true a répondu par une page vide : aucune entité pour distinguer la page "
     "suivante de celle-ci (voir STA-012)",
     "GET /v1.1/Observations?$top=1&$count=true lieferte eine leere Seite: keine Entität, um die nächste Seite von "
     "dieser zu unterscheiden (siehe STA-012)"),
    ("the service holds no Things to expand",
     "le service ne contient aucun Thing à développer",
     "der Dienst enthält keine Things zum Expandieren"),
    ("GET /v1.1/Things?$expand=Datastreams: the Thing has no Datastreams navigation link nor selfLink to read its "
     "Datastreams from, so the embedded ones are not verified",
     "GET /v1.1/Things?$expand=Datastreams : le Thing n'a ni lien de navigation Datastreams ni selfLink d'où lire "
     "ses Datastreams, les Datastreams intégrés ne sont donc pas vérifiés",
     "GET /v1.1/Things?$expand=Datastreams: das Thing hat weder einen Datastreams-Navigationslink noch einen "
     "selfLink, über den seine Datastreams gelesen werden könnten, daher sind die eingebetteten nicht geprüft"),
    ("the Datastreams of Things(7) could not be read (GET /v1.1/Things(7)/Datastreams: HTTP 404, see STA-010), so "
     "the embedded ones are not verified",
     "les Datastreams de Things(7) n'ont pas pu être lus (GET /v1.1/Things(7)/Datastreams : HTTP 404, voir STA-010), "
     "les Datastreams intégrés ne sont donc pas vérifiés",
     "die Datastreams von Things(7) konnten nicht gelesen werden (GET /v1.1/Things(7)/Datastreams: HTTP 404, siehe "
     "STA-010), daher sind die eingebetteten nicht geprüft"),
    ("Things(7) has no Datastreams: an empty embedded array proves nothing",
     "Things(7) n'a aucun Datastream : un tableau intégré vide ne prouve rien",
     "Things(7) hat keine Datastreams: ein leeres eingebettetes Array beweist nichts"),
    ("$orderby=result: fewer than two distinct values of result among the Observations; $orderby=phenomenonTime: "
     "fewer than two distinct values of phenomenonTime among the Observations",
     "$orderby=result : moins de deux valeurs distinctes de result parmi les Observations ; $orderby=phenomenonTime "
     ": moins de deux valeurs distinctes de phenomenonTime parmi les Observations",
     "$orderby=result: weniger als zwei verschiedene Werte von result unter den Observations; "
     "$orderby=phenomenonTime: weniger als zwei verschiedene Werte von phenomenonTime unter den Observations"),
    ("$filter on result: fewer than two distinct numeric results among the Observations; $filter on phenomenonTime: "
     "fewer than two distinct phenomenonTimes among the Observations; geo.intersects: no Location with a Point",
     "$filter sur result : moins de deux valeurs numériques distinctes de result parmi les Observations ; $filter "
     "sur phenomenonTime : moins de deux valeurs distinctes de phenomenonTime parmi les Observations ; "
     "geo.intersects : aucune Location avec un Point",
     "$filter auf result: weniger als zwei verschiedene numerische Werte von result unter den Observations; $filter "
     "auf phenomenonTime: weniger als zwei verschiedene Werte von phenomenonTime unter den Observations; "
     "geo.intersects: keine Location mit einem Point"),
    ("collection lakes has no item to test; no feature of collection rivers has a geometry to query bbox with",
     "la collection lakes n'a aucun élément à tester ; aucun objet géographique de la collection rivers n'a de "
     "géométrie avec laquelle interroger bbox",
     "die Collection lakes hat kein Element zum Testen; kein Geoobjekt der Collection rivers hat eine Geometrie, mit "
     "der bbox abgefragt werden könnte"),
    ("not tested: collection rivers (prerequisite OAFEAT-012 failed for it)",
     "non testé : collection rivers (le prérequis OAFEAT-012 a échoué pour elle)",
     "nicht getestet: Collection rivers (die Voraussetzung OAFEAT-012 ist für sie fehlgeschlagen)"),
    ("not tested: collection rivers: no feature of collection rivers has a geometry to query bbox with",
     "non testé : collection rivers : aucun objet géographique de la collection rivers n'a de géométrie avec "
     "laquelle interroger bbox",
     "nicht getestet: Collection rivers: kein Geoobjekt der Collection rivers hat eine Geometrie, mit der bbox "
     "abgefragt werden könnte"),
    ("not tested: collection lakes: that datetime returns every feature it selects (only those returned were "
     "checked; the collection was not read whole: the walk stopped at the 5-page cap)",
     "non testé : collection lakes : que datetime renvoie tous les objets géographiques qu'il sélectionne (seuls "
     "ceux renvoyés ont été vérifiés ; la collection n'a pas été lue en entier : le parcours s'est arrêté au plafond "
     "de 5 pages)",
     "nicht getestet: Collection lakes: dass datetime jedes ausgewählte Geoobjekt liefert (nur die gelieferten "
     "wurden geprüft; die Collection wurde nicht vollständig gelesen: der Durchlauf endete an der Obergrenze von 5 "
     "Seiten)"),
    ("not tested: collection lakes: that bbox returns every feature it selects (only those returned were checked; a "
     "filtered result was not read whole: the next link of page 2 points back to a page already read)",
     "non testé : collection lakes : que bbox renvoie tous les objets géographiques qu'il sélectionne (seuls ceux "
     "renvoyés ont été vérifiés ; un résultat filtré n'a pas été lu en entier : le lien next de la page 2 renvoie à "
     "une page déjà lue)",
     "nicht getestet: Collection lakes: dass bbox jedes ausgewählte Geoobjekt liefert (nur die gelieferten wurden "
     "geprüft; ein gefiltertes Ergebnis wurde nicht vollständig gelesen: der next-Link von Seite 2 verweist auf eine "
     "bereits gelesene Seite)"),
    ("not tested: collection lakes: that bbox returns every feature it selects (only those returned were checked; a "
     "filtered result was not read whole: page 2 is not a JSON object)",
     "non testé : collection lakes : que bbox renvoie tous les objets géographiques qu'il sélectionne (seuls ceux "
     "renvoyés ont été vérifiés ; un résultat filtré n'a pas été lu en entier : la page 2 n'est pas un objet JSON)",
     "nicht getestet: Collection lakes: dass bbox jedes ausgewählte Geoobjekt liefert (nur die gelieferten wurden "
     "geprüft; ein gefiltertes Ergebnis wurde nicht vollständig gelesen: Seite 2 ist kein JSON-Objekt)"),
    ("not tested: 1 path of the API definition whose path item could not be read (/collections/{collectionId})",
     "non testé : 1 chemin de la définition de l'API dont le path item n'a pas pu être lu "
     "(/collections/{collectionId})",
     "nicht getestet: 1 Pfad der API-Definition, dessen Path Item nicht gelesen werden konnte "
     "(/collections/{collectionId})"),
    ("not tested: 4 templated paths of the API definition without enumerated values "
     "(/collections/{collectionId}/items/{featureId}, /a/{x}, /b/{y}, …)",
     "non testé : 4 chemins paramétrés de la définition de l'API sans valeurs énumérées "
     "(/collections/{collectionId}/items/{featureId}, /a/{x}, /b/{y}, …)",
     "nicht getestet: 4 Pfadvorlagen der API-Definition ohne aufgezählte Werte "
     "(/collections/{collectionId}/items/{featureId}, /a/{x}, /b/{y}, …)"),
    ("not tested: 1 path of the API definition that needs a query parameter (/search)",
     "non testé : 1 chemin de la définition de l'API qui exige un paramètre de requête (/search)",
     "nicht getestet: 1 Pfad der API-Definition, der einen Query-Parameter braucht (/search)"),
    ("not tested: 2 paths of the API definition that need a query parameter (/search, /processes)",
     "non testé : 2 chemins de la définition de l'API qui exigent un paramètre de requête (/search, /processes)",
     "nicht getestet: 2 Pfade der API-Definition, die einen Query-Parameter brauchen (/search, /processes)"),
    ("not tested: 17 paths of the API definition past the first 15 (/collections/p, /collections/q, /collections/r, "
     "…)",
     "non testé : 17 chemins de la définition de l'API au-delà des 15 premiers (/collections/p, /collections/q, "
     "/collections/r, …)",
     "nicht getestet: 17 Pfade der API-Definition jenseits der ersten 15 (/collections/p, /collections/q, "
     "/collections/r, …)"),
    ("not tested: the path items of /collections/lakes/items, which could not be read",
     "non testé : les path items de /collections/lakes/items, qui n'ont pas pu être lus",
     "nicht getestet: die Path Items von /collections/lakes/items, die nicht gelesen werden konnten"),
    ("not tested: 53 referenced documents of the API past the first 50 (https://api.example.org/d51.yaml, "
     "https://api.example.org/d52.yaml, https://api.example.org/d53.yaml)",
     "non testé : 53 documents référencés de l'API au-delà des 50 premiers (https://api.example.org/d51.yaml, "
     "https://api.example.org/d52.yaml, https://api.example.org/d53.yaml)",
     "nicht getestet: 53 referenzierte Dokumente der API jenseits der ersten 50 (https://api.example.org/d51.yaml, "
     "https://api.example.org/d52.yaml, https://api.example.org/d53.yaml)"),
    ("not tested: 1 path item whose $ref could not be read (paths.yaml#/lakes)",
     "non testé : 1 path item dont le $ref n'a pas pu être lu (paths.yaml#/lakes)",
     "nicht getestet: 1 Path Item, dessen $ref nicht gelesen werden konnte (paths.yaml#/lakes)"),
    ("not tested: 2 path items whose $ref could not be read (paths.yaml#/lakes, paths.yaml#/rivers)",
     "non testé : 2 path items dont le $ref n'a pas pu être lu (paths.yaml#/lakes, paths.yaml#/rivers)",
     "nicht getestet: 2 Path Items, deren $ref nicht gelesen werden konnte (paths.yaml#/lakes, paths.yaml#/rivers)"),
    ("not tested: $orderby=phenomenonTime: fewer than two distinct values of phenomenonTime among the Observations",
     "non testé : $orderby=phenomenonTime : moins de deux valeurs distinctes de phenomenonTime parmi les Observations",
     "nicht getestet: $orderby=phenomenonTime: weniger als zwei verschiedene Werte von phenomenonTime unter den "
     "Observations"),
    ("not tested: $filter on result: fewer than two distinct numeric results among the Observations; geo.intersects: "
     "no Location with a Point",
     "non testé : $filter sur result : moins de deux valeurs numériques distinctes de result parmi les Observations "
     "; geo.intersects : aucune Location avec un Point",
     "nicht getestet: $filter auf result: weniger als zwei verschiedene numerische Werte von result unter den "
     "Observations; geo.intersects: keine Location mit einem Point"),
    ("not tested: geo.intersects returned Locations(7) without a GeoJSON position to check against the polygon",
     "non testé : geo.intersects a renvoyé Locations(7) sans position GeoJSON à confronter au polygone",
     "nicht getestet: geo.intersects lieferte Locations(7) ohne GeoJSON-Position, die mit dem Polygon verglichen "
     "werden könnte"),
    ("not tested: geo.intersects returned Locations(7) and 2 more without a GeoJSON position to check against the "
     "polygon",
     "non testé : geo.intersects a renvoyé Locations(7) et 2 autres sans position GeoJSON à confronter au polygone",
     "nicht getestet: geo.intersects lieferte Locations(7) und 2 weitere ohne GeoJSON-Position, die mit dem Polygon "
     "verglichen werden könnte"),
    ("not tested: collection lakes (prerequisite OAFEAT-012 failed for it); collection rivers: collection rivers has "
     "no item to test",
     "non testé : collection lakes (le prérequis OAFEAT-012 a échoué pour elle) ; collection rivers : la collection "
     "rivers n'a aucun élément à tester",
     "nicht getestet: Collection lakes (die Voraussetzung OAFEAT-012 ist für sie fehlgeschlagen); Collection rivers: "
     "die Collection rivers hat kein Element zum Testen"),
    ("numberMatched=5000 of collection lakes not verified: page 3 is not a JSON object after 200 features",
     "numberMatched=5000 de la collection lakes non vérifié : la page 3 n'est pas un objet JSON après 200 objets "
     "géographiques",
     "numberMatched=5000 der Collection lakes nicht geprüft: Seite 3 ist kein JSON-Objekt nach 200 Geoobjekten"),
    ("no entity of type Road but urn:ngsi-ld:Road:1 that id= can name among the 100 read (page 1 is full but links "
     "no next page): id= needs two entities of the type to ask for",
     "aucune entité du type Road autre que urn:ngsi-ld:Road:1 que id= puisse désigner parmi les 100 entités lues (la "
     "page 1 est pleine mais ne renvoie à aucune page suivante) : id= demande deux entités de ce type",
     "keine Entität vom Typ Road außer urn:ngsi-ld:Road:1, die id= benennen könnte, unter den 100 gelesenen "
     "Entitäten (Seite 1 ist voll, verweist aber auf keine nächste Seite): id= braucht zwei Entitäten des Typs"),
    ("no entity of type Road but urn:ngsi-ld:Road:1 that id= can name among the 100 read (page 2 is not a JSON "
     "array): id= needs two entities of the type to ask for",
     "aucune entité du type Road autre que urn:ngsi-ld:Road:1 que id= puisse désigner parmi les 100 entités lues (la "
     "page 2 n'est pas un tableau JSON) : id= demande deux entités de ce type",
     "keine Entität vom Typ Road außer urn:ngsi-ld:Road:1, die id= benennen könnte, unter den 100 gelesenen "
     "Entitäten (Seite 2 ist kein JSON-Array): id= braucht zwei Entitäten des Typs"),
]


@pytest.mark.parametrize(("english", "fr", "de"), CASES)
def test_an_api_reason_in_french_and_german(english: str, fr: str, de: str) -> None:
    assert i18n.reason(english, "fr") == fr
    assert i18n.reason(english, "de") == de
    assert i18n.reason(english, "en") == english


@pytest.mark.parametrize("english", [
    # a part of a "not tested" list that no pattern knows: the whole reason stays English, never "non testé : …"
    "not tested: 2 widgets: urn:a, urn:b",
    # a sentence the table does not know (a future check's) is shown as written
    "the API answered in Klingon",
    # a nested reason that is not known: "collection X: …" is not translated around it
    "not tested: collection lakes: something new happened",
])
def test_what_no_pattern_knows_stays_as_written(english: str) -> None:
    assert (i18n.reason(english, "fr"), i18n.reason(english, "de")) == (english, english)


def test_a_part_no_pattern_knows_stays_english_beside_the_translated_ones() -> None:
    english = "collection lakes has no item to test; something new happened"
    assert i18n.reason(english, "fr") == "la collection lakes n'a aucun élément à tester ; something new happened"
    assert i18n.reason(english, "de") == "die Collection lakes hat kein Element zum Testen; something new happened"


def test_what_a_library_said_stays_as_written_even_with_a_semicolon() -> None:
    english = "the API was not reachable: SSL: CERTIFICATE_VERIFY_FAILED; hostname mismatch"
    assert i18n.reason(english, "fr") == ("l'API n'était pas joignable : SSL: CERTIFICATE_VERIFY_FAILED; hostname "
                                          "mismatch")
    assert i18n.reason(english, "de") == ("die API war nicht erreichbar: SSL: CERTIFICATE_VERIFY_FAILED; hostname "
                                          "mismatch")


# --- every pattern has its case, and every language every pattern ----------------------------------------------------

KEYS = {key for key, _ in i18n_results._API + i18n_results._API_PARTS}


def phrases_used(monkeypatch: pytest.MonkeyPatch, english: list[str]) -> dict[str, set[str]]:
    """The [lang.result_reasons] keys that translating these sentences reads, per language."""
    used: dict[str, set[str]] = {"fr": set(), "de": set()}
    phrase = i18n.phrase

    def recording(key: str, lang: str, section: str = "phrases", **values: Any) -> str | None:
        if section == "result_reasons":
            used[lang].add(key)
        return phrase(key, lang, section, **values)

    monkeypatch.setattr(i18n_results, "phrase", recording)
    i18n_results.result_reason.cache_clear()  # a remembered reason would not ask for its phrases again
    try:
        for text in english:
            i18n.reason(text, "fr")
            i18n.reason(text, "de")
    finally:
        i18n_results.result_reason.cache_clear()
    return used


def assert_templates_use_their_parts(section: dict[str, Any], keys: set[str], matched: dict[str, set[str]],
                                     lang: str) -> None:
    """Each template of `keys` uses only the parts its pattern matched; one with plural forms has a count to choose
    them by ({n}, or the length of {items})."""
    for key in keys:
        template = section[key]
        forms = template if isinstance(template, dict) else {"other": template}
        assert set(forms) in ({"other"}, {"one", "other"}), (lang, key)
        if len(forms) == 2:
            assert matched[key] & {"n", "items"}, (lang, key)
        for form in forms.values():
            assert set(re.findall(r"\{(\w+)\}", form)) <= matched[key] | {"n"}, (lang, key, form)


def test_every_pattern_and_word_is_used_by_a_case(monkeypatch: pytest.MonkeyPatch) -> None:
    used = phrases_used(monkeypatch, [english for english, _, _ in CASES])
    assert used["fr"] == used["de"] == KEYS | set(i18n_results.API_WORDS)


def test_each_language_translates_every_pattern_with_the_pattern_s_parts() -> None:
    """A template uses only the parts its pattern matched; one with plural forms has a count to choose them by ({n},
    or the length of {items})."""
    matched = {key: set(pattern.groupindex) for key, pattern in
               i18n_results._API + i18n_results._API_PARTS + i18n_results._CORE + i18n_results._CORE_PARTS}
    matched |= {"or": set(), "and": set(), "and_more": {"items", "n"}}
    for lang in ("fr", "de"):
        section = i18n.table()[lang]["result_reasons"]
        assert set(section) == set(matched), lang
        assert_templates_use_their_parts(section, set(section), matched, lang)


# --- a reason added to checks/api without a pattern fails here ------------------------------------------------------

API_MODULES = sorted(Path(checks_api.__file__).parent.glob("*.py"))
# Reasons the sampler below cannot stand in for with tokens, each with realistic texts instead.
UNSAMPLED: dict[tuple[str, str], list[str]] = {
    # the test of one collection raised Skip: "collection X: <that reason>", translated only when the reason is
    ("ogc_common.py", "f\"collection {entry['id']}: {exc}\""): [
        "collection lakes: collection lakes has no item to test",
        "collection rivers: no feature of collection rivers has a temporal property to compare datetime with"],
    # every collection raised Skip: their reasons joined by "; ", each translated in turn
    ("ogc_common.py", "'; '.join(dict.fromkeys((str(x) for x in skipped)))"): [
        "collection lakes has no item to test; the first item of rivers has no id"],
    ("sensorthings.py", "'; '.join(untested)"): [
        "$orderby=result: fewer than two distinct values of result among the Observations; $orderby=phenomenonTime: "
        "fewer than two distinct values of phenomenonTime among the Observations",
        "$filter on result: fewer than two distinct numeric results among the Observations; $filter on "
        "phenomenonTime: fewer than two distinct phenomenonTimes among the Observations; geo.intersects: no Location "
        "with a Point"],
    # built from a table of (count, noun, why, paths) in a loop: one text per row of that table
    ("ogc_oas.py", "f\"{n} {noun}{'s' * (n != 1)} of the API definition {why} (\" + ', '.join(named[:3]) + "
                   "(', …' if n > 3 else '') + ')'"): [
        "1 path of the API definition whose path item could not be read (/collections/{collectionId})",
        "2 templated paths of the API definition without enumerated values (/a/{x}, /b/{y})",
        "1 path of the API definition that needs a query parameter (/search)",
        "2 paths of the API definition that need a query parameter (/search, /processes)",
        "16 paths of the API definition past the first 15 (/p/1, /p/2, /p/3, …)"],
    # {read} is itself a sentence built a line before, with or without what stopped the walk
    ("ngsi_ld.py", "f'no entity of type {name} but {sample_id} that id= can name among {read}: id= needs two entities "
                   "of the type to ask for'"): [
        "no entity of type Road but urn:ngsi-ld:Road:1 that id= can name among the 1 read: id= needs two entities of "
        "the type to ask for",
        "no entity of type Road but urn:ngsi-ld:Road:1 that id= can name among the 100 read (the walk stopped at the "
        "10-page cap): id= needs two entities of the type to ask for"],
    # returned by unreachable_reason(): its own text, asked of the function itself
    ("ngsi_subscriptions.py", "unreachable"): [
        str(ngsi_subscriptions.unreachable_reason("broker.example.org", True))],
}


def _reason_calls() -> Iterator[tuple[str, ast.expr, dict[str, list[ast.expr]]]]:
    """(module, reason argument, the names it may use) of every Skip(...) and every .append(...) on an `untested`
    list in checks/api; a name is resolved through the enclosing function's assignments, then the module's."""
    for path in API_MODULES:
        tree = ast.parse(path.read_text("utf-8"))
        module_names = _assignments(tree.body)
        seen: set[int] = set()
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            names = {**module_names, **_assignments(ast.walk(function))}
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and node.args and _is_reason(node) and id(node) not in seen:
                    seen.add(id(node))
                    yield path.name, node.args[0], names


def _assignments(nodes: Any) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for node in nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found


def _is_reason(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "Skip"
    listed = func.value if isinstance(func, ast.Attribute) else None
    return isinstance(func, ast.Attribute) and func.attr == "append" and (
        (isinstance(listed, ast.Name) and listed.id == "untested")
        or (isinstance(listed, ast.Attribute) and listed.attr == "untested"))


def _sample(node: ast.expr, names: dict[str, list[ast.expr]]) -> str | None:
    """The English a reason argument writes, each formatted field replaced by a token; None when it is not a string
    or f-string (a call, a concatenation, a name assigned more than once)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else _field(v.value) for v in node.values
                       if isinstance(v, (ast.Constant, ast.FormattedValue)))
    if isinstance(node, ast.Name) and len(names.get(node.id, [])) == 1:
        return _sample(names[node.id][0], names)
    return None


def _field(expr: ast.expr) -> str:
    """A formatted field's stand-in: the plural of a singular/plural choice ("s", "are"), else "2" (a count, an ID,
    a URL or a request alike: every pattern takes it)."""
    if isinstance(expr, ast.IfExp) and isinstance(expr.orelse, ast.Constant):
        return str(expr.orelse.value)
    if isinstance(expr, ast.BinOp) and isinstance(expr.left, ast.Constant):  # "s" * (n != 1)
        return str(expr.left.value)
    return "2"


def test_every_reason_the_api_checks_write_is_translated() -> None:
    calls = list(_reason_calls())
    assert len(calls) > 60  # the walk found the checks' Skip(...) and untested.append(...) calls
    untranslated, listed = [], set()
    for module, node, names in calls:
        key = (module, ast.unparse(node))
        if key in UNSAMPLED:
            listed.add(key)
            samples = UNSAMPLED[key]
        else:
            sample = _sample(node, names)
            assert sample is not None, f"{module}: {key[1]} cannot be sampled: add realistic texts to UNSAMPLED"
            samples = [sample]
        untranslated += [(module, lang, text) for text in samples for lang in ("fr", "de")
                         if i18n.reason(text, lang) == text]
    assert untranslated == []
    assert listed == set(UNSAMPLED)  # no entry left for a reason the checks no longer write


# --- a report shows the translation where it showed the English ----------------------------------------------------

SKIP = "collection lakes has no item to test; no feature of collection rivers has a geometry to query bbox with"
SKIP_FR = ("la collection lakes n'a aucun élément à tester ; aucun objet géographique de la collection rivers n'a de "
           "géométrie avec laquelle interroger bbox")
LIMITED = "not tested: collection rivers (prerequisite OAFEAT-012 failed for it)"
LIMITED_FR = "non testé : collection rivers (le prérequis OAFEAT-012 a échoué pour elle)"


def _api_report() -> Any:
    """The factory's report whose API target has a rule not verified and a pass with limits, for API reasons."""
    base = factory.report()
    results = [r for r in base.results if r.target != factory.API] + [
        Result("TP-102", factory.API, Status.SKIP, reason=SKIP, why=Why.NOT_APPLICABLE),
        Result("TP-401", factory.API, Status.PASS, reason=LIMITED)]
    return replace(base, results=tuple(sorted(results, key=lambda r: (r.target, r.rule))))


def test_sarif_junit_and_html_show_the_french_reason() -> None:
    report = _api_report()
    api = factory.API
    notes = to_sarif(report, "fr")["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    told = {n["associatedRule"]["id"]: n for n in notes if n.get("associatedRule")}
    assert told["TP-102"]["message"]["text"] == f"TP-102 ({api}) : non vérifiée (sans objet) : {SKIP_FR}"
    assert told["TP-401"]["message"]["text"] == f"TP-401 ({api}) : réussie avec limites : {LIMITED_FR}"
    # the properties keep the report's English, its contract
    assert (told["TP-102"]["properties"]["reason"], told["TP-401"]["properties"]["reason"]) == (SKIP, LIMITED)

    root = ET.fromstring(render_junit(report, "fr").split("\n", 1)[1])
    cases = {c.get("name", "").split()[0]: c for suite in root if suite.get("name") == api
             for c in suite.iter("testcase")}
    assert cases["TP-102"].find("skipped").get("message") == f"non vérifiée (sans objet) : {SKIP_FR}"  # type: ignore[union-attr]
    assert cases["TP-401"].find("system-out").text == f"réussie avec limites : {LIMITED_FR}"  # type: ignore[union-attr]

    assert html.context(report, "fr", False)["limited_passes"] == [
        {"rule": "TP-401", "target": api, "note": LIMITED_FR}]
    for print_mode in (False, True):
        page = visible(html.render(report, lang="fr", print_mode=print_mode))
        assert LIMITED_FR in page.splitlines() and LIMITED not in page
    # and in English, the English
    assert html.context(report, "en", False)["limited_passes"] == [{"rule": "TP-401", "target": api, "note": LIMITED}]
