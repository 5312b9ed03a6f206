"""Framework tags (GCM objectives, SDG targets on migration, stages of return, IOM's reintegration
dimensions and levels), seeded in Spanish and English, and the tags of commitments and joint actions.

Revision ID: c4d0f1a5b3e2
Revises: b3c9e0f4a2d1
Create Date: 2026-12-06 10:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4d0f1a5b3e2'
down_revision = 'b3c9e0f4a2d1'
branch_labels = None
depends_on = None

GCM = [
    ("Recopilar y utilizar datos exactos y desglosados para formular políticas con base empírica",
     "Collect and utilize accurate and disaggregated data as a basis for evidence-based policies"),
    ("Minimizar los factores adversos y estructurales que obligan a las personas a abandonar su país de origen",
     "Minimize the adverse drivers and structural factors that compel people to leave their country of origin"),
    ("Proporcionar información exacta y oportuna en todas las etapas de la migración",
     "Provide accurate and timely information at all stages of migration"),
    ("Velar por que todos los migrantes tengan pruebas de su identidad jurídica y documentación adecuada",
     "Ensure that all migrants have proof of legal identity and adequate documentation"),
    ("Aumentar la disponibilidad y flexibilidad de las vías de migración regular",
     "Enhance availability and flexibility of pathways for regular migration"),
    ("Facilitar la contratación equitativa y ética y salvaguardar las condiciones que garantizan el trabajo decente",
     "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work"),
    ("Abordar y reducir las vulnerabilidades en la migración",
     "Address and reduce vulnerabilities in migration"),
    ("Salvar vidas y emprender iniciativas internacionales coordinadas sobre los migrantes desaparecidos",
     "Save lives and establish coordinated international efforts on missing migrants"),
    ("Reforzar la respuesta transnacional al tráfico ilícito de migrantes",
     "Strengthen the transnational response to smuggling of migrants"),
    ("Prevenir, combatir y erradicar la trata de personas en el contexto de la migración internacional",
     "Prevent, combat and eradicate trafficking in persons in the context of international migration"),
    ("Gestionar las fronteras de manera integrada, segura y coordinada",
     "Manage borders in an integrated, secure and coordinated manner"),
    ("Aumentar la certidumbre y previsibilidad de los procedimientos migratorios para la adecuada verificación "
     "de antecedentes, evaluación y derivación",
     "Strengthen certainty and predictability in migration procedures for appropriate screening, assessment "
     "and referral"),
    ("Utilizar la detención de migrantes solo como último recurso y buscar otras alternativas",
     "Use migration detention only as a measure of last resort and work towards alternatives"),
    ("Mejorar la protección, asistencia y cooperación consulares a lo largo de todo el ciclo migratorio",
     "Enhance consular protection, assistance and cooperation throughout the migration cycle"),
    ("Proporcionar a los migrantes acceso a servicios básicos",
     "Provide access to basic services for migrants"),
    ("Empoderar a los migrantes y las sociedades para lograr la plena inclusión y la cohesión social",
     "Empower migrants and societies to realize full inclusion and social cohesion"),
    ("Eliminar todas las formas de discriminación y promover un discurso público con base empírica para modificar "
     "las percepciones de la migración",
     "Eliminate all forms of discrimination and promote evidence-based public discourse to shape perceptions "
     "of migration"),
    ("Invertir en el desarrollo de aptitudes y facilitar el reconocimiento mutuo de aptitudes, cualificaciones "
     "y competencias",
     "Invest in skills development and facilitate mutual recognition of skills, qualifications and competences"),
    ("Crear las condiciones necesarias para que los migrantes y las diásporas puedan contribuir plenamente al "
     "desarrollo sostenible en todos los países",
     "Create conditions for migrants and diasporas to fully contribute to sustainable development in all "
     "countries"),
    ("Promover transferencias de remesas más rápidas, seguras y económicas y fomentar la inclusión financiera de "
     "los migrantes",
     "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants"),
    ("Colaborar para facilitar el regreso y la readmisión en condiciones de seguridad y dignidad, así como la "
     "reintegración sostenible",
     "Cooperate in facilitating safe and dignified return and readmission, as well as sustainable reintegration"),
    ("Establecer mecanismos para la portabilidad de la seguridad social y las prestaciones adquiridas",
     "Establish mechanisms for the portability of social security entitlements and earned benefits"),
    ("Fortalecer la cooperación internacional y las alianzas mundiales para la migración segura, ordenada y regular",
     "Strengthen international cooperation and global partnerships for safe, orderly and regular migration"),
]
SDG = [
    ("8.7", "Erradicar el trabajo forzoso, poner fin a las formas contemporáneas de esclavitud y la trata de "
            "personas, y el trabajo infantil",
     "Eradicate forced labour, end modern slavery and human trafficking, and child labour"),
    ("8.8", "Proteger los derechos laborales y promover un entorno de trabajo seguro para todos los trabajadores, "
            "incluidos los trabajadores migrantes",
     "Protect labour rights and promote safe and secure working environments for all workers, including "
     "migrant workers"),
    ("10.7", "Facilitar la migración y la movilidad ordenadas, seguras, regulares y responsables de las personas",
     "Facilitate orderly, safe, regular and responsible migration and mobility of people"),
    ("10.c", "Reducir a menos del 3 % los costos de transacción de las remesas de los migrantes",
     "Reduce to less than 3 per cent the transaction costs of migrant remittances"),
    ("16.2", "Poner fin al maltrato, la explotación, la trata y todas las formas de violencia y tortura contra "
             "los niños",
     "End abuse, exploitation, trafficking and all forms of violence against and torture of children"),
    ("16.9", "Proporcionar acceso a una identidad jurídica para todos, en particular mediante el registro de "
             "nacimientos",
     "Provide legal identity for all, including birth registration"),
    ("17.18", "Aumentar la disponibilidad de datos oportunos, fiables y de gran calidad desglosados, incluido por "
              "estatus migratorio",
     "Increase the availability of high-quality, timely and reliable data disaggregated, including by "
     "migratory status"),
]
OTHERS = [
    ("return-stage", "pre-departure", "Antes de la partida", "Before departure"),
    ("return-stage", "return", "Retorno y llegada", "Return and arrival"),
    ("return-stage", "reintegration", "Reintegración después de la llegada", "Reintegration after arrival"),
    ("reintegration-dimension", "economic", "Económica", "Economic"),
    ("reintegration-dimension", "social", "Social", "Social"),
    ("reintegration-dimension", "psychosocial", "Psicosocial", "Psychosocial"),
    ("reintegration-level", "individual", "Individual", "Individual"),
    ("reintegration-level", "community", "Comunitario", "Community"),
    ("reintegration-level", "structural", "Estructural", "Structural"),
]


def seed_rows():
    rows = [("gcm", str(number), es, en) for number, (es, en) in enumerate(GCM, 1)]
    rows += [("sdg", code, es, en) for code, es, en in SDG]
    rows += OTHERS
    return [{"framework": framework, "code": code, "name_es": es, "name_en": en, "position": position,
             "is_active": True} for position, (framework, code, es, en) in enumerate(rows, 1)]


def upgrade():
    tags = op.create_table('framework_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework', sa.String(length=30), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name_es', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework_tags')),
    sa.UniqueConstraint('framework', 'code', name='one_code_per_framework')
    )
    op.bulk_insert(tags, seed_rows())
    for table, column, target in (('commitment_framework_tags', 'commitment_id', 'commitments'),
                                  ('joint_action_framework_tags', 'joint_action_id', 'joint_actions')):
        op.create_table(table,
        sa.Column(column, sa.Integer(), nullable=False),
        sa.Column('tag_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}')),
        sa.ForeignKeyConstraint(['tag_id'], ['framework_tags.id'], name=op.f(f'fk_{table}_tag_id_framework_tags')),
        sa.PrimaryKeyConstraint(column, 'tag_id', name=op.f(f'pk_{table}'))
        )
        op.create_index(op.f(f'ix_{table}_tag_id'), table, ['tag_id'], unique=False)


def downgrade():
    for table in ('joint_action_framework_tags', 'commitment_framework_tags'):
        op.drop_index(op.f(f'ix_{table}_tag_id'), table_name=table)
        op.drop_table(table)
    op.drop_table('framework_tags')
