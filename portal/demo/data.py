"""The partners of the Tegucigalpa symposium, by institution and position (no personal data)."""

DEMO_PASSWORD = "tegucigalpa-demo-2026"
DEMO_EMAIL_DOMAIN = "portal-demo.example"
DEMO_ADMIN_EMAIL = f"admin@{DEMO_EMAIL_DOMAIN}"

#: slug, name, English name, acronym, kind, country, host country, account role, account position
ORGANISATIONS = [
    ("sreci-hnd", "Secretaría de Relaciones Exteriores y Cooperación Internacional",
     "Ministry of Foreign Affairs and International Cooperation of Honduras", "SRECI", "ministry", "HND", None,
     "org_admin", "Despacho del Viceministro de Asuntos Consulares y Migratorios"),
    ("dgpm-hnd", "Dirección General de Protección al Hondureño Migrante",
     "Directorate-General for the Protection of Honduran Migrants", "DGPM", "ministry", "HND", None,
     "editor", "Punto focal de protección consular"),
    ("ceniss-hnd", "Centro Nacional de Información del Sector Social",
     "Social Sector National Information Centre", "CENISS", "ministry", "HND", None,
     "editor", "Unidad de estadísticas de retorno"),
    ("embamex-hnd", "Embajada de México en Honduras", "Embassy of Mexico in Honduras", "EMBAMEX",
     "embassy", "MEX", "HND", "editor", "Sección consular"),
    ("inm-mex", "Instituto Nacional de Migración", "National Migration Institute of Mexico", "INM",
     "ministry", "MEX", None, "editor", "Dirección de la Estrategia Somos Mexicanos"),
    ("mision-oea-mex", "Misión Permanente de México ante la Organización de los Estados Americanos",
     "Permanent Mission of Mexico to the Organization of American States", "MPM-OEA", "embassy", "MEX", "USA",
     "editor", "Presidencia de la Comisión de Asuntos Migratorios"),
    ("rree-slv", "Ministerio de Relaciones Exteriores de El Salvador",
     "Ministry of Foreign Affairs of El Salvador", "RREE", "ministry", "SLV", None,
     "editor", "Dirección de atención al migrante"),
    ("minex-gtm", "Ministerio de Relaciones Exteriores de Guatemala",
     "Ministry of Foreign Affairs of Guatemala", "MINEX", "ministry", "GTM", None,
     "editor", "Dirección de asuntos migratorios"),
    ("oim-slv-gtm-hnd", "OIM – Misión para El Salvador, Guatemala y Honduras",
     "IOM – Mission to El Salvador, Guatemala and Honduras", "OIM", "iom_office", "SLV", None,
     "editor", "Oficina del Jefe de Misión"),
]
