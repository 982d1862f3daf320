"""Real servers for the live-API tests: pygeoapi, django-ogc-sensorthings, an NGSI-LD broker, a misbehaving server."""
