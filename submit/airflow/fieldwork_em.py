"""Airflow DAG: preprocess each day's electron-microscopy session with Fieldwork on a Spark cluster.

Copy to your DAGs folder and set the Airflow Variables `fieldwork_home` (a checkout with the
shaded jar built), `spark_master`, `em_bucket` and the session's optics (`em_pixel_size`,
`em_dose_per_frame`, `em_particle_diameter`). Every movie in the day's folder is motion-corrected,
its CTF estimated and particles picked, one movie per Spark task; averages, thumbnails, picks and
WarpCore's processed_items.json land in `processing/<day>/`. A failed or interrupted run is safe to
retry: it skips the movies already done and redoes only the steps whose settings changed.

Then the particles are exported for RELION (`particles.star` + one MRCS stack per movie), and a
per-movie report (defocus, motion, particles) is printed to the task log.
"""
import shlex
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator
from airflow.utils.trigger_rule import TriggerRule

with DAG(
    dag_id="fieldwork_em",
    start_date=datetime(2026, 1, 1),
    schedule="@daily",
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["fieldwork", "cryo-em"],
) as dag:
    home = Variable.get("fieldwork_home", "/opt/fieldwork")
    master = Variable.get("spark_master", "spark://spark-master:7077")
    bucket = Variable.get("em_bucket", "s3a://em")
    pixel = Variable.get("em_pixel_size", "1.35")
    dose = Variable.get("em_dose_per_frame", "1.0")
    diameter = Variable.get("em_particle_diameter", "200")
    submit = (f"{home}/submit/fieldwork-submit --master {master} --deploy-mode client "
              "--packages org.apache.hadoop:hadoop-aws:3.3.4 "
              f"--properties-file {home}/conf/spark-defaults.conf -- ")
    processing = f"{bucket}/processing/{{{{ ds }}}}/"

    batch = BashOperator(
        task_id="em_batch",
        bash_command=(
            submit + f"em batch {bucket}/movies/{{{{ ds }}}}/ {processing} "
            f"--pixel-size {pixel} --dose {dose} --particle-diameter {diameter}"
        ),
    )

    particles = BashOperator(
        task_id="export_particles",
        bash_command=submit + f"em export-particles {processing} {bucket}/particles/{{{{ ds }}}}/ --box 128",
    )

    # One line per movie; runs even when some movies failed (their rows carry the error).
    report_sql = (
        "SELECT movie, status, round(defocus_u_um, 3) AS defocus_u_um, round(defocus_v_um, 3) AS defocus_v_um, "
        "round(ctf_fit_resolution_a, 1) AS fit_a, round(motion_mean_px, 2) AS motion_px, particle_count, error "
        f"FROM parquet.`{processing}items.parquet` ORDER BY movie"
    )
    report = BashOperator(
        task_id="session_report",
        trigger_rule=TriggerRule.ALL_DONE,
        bash_command=submit + "sql --format csv " + shlex.quote(report_sql),
    )

    batch >> [particles, report]
