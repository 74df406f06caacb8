"""JupyterHub for one class of pigs-to-backprop on one Linux machine.

docs/instructors.md ("On JupyterHub") explains it. tests/test_hub.py runs a real hub with
this very file, and so does `pigs-to-backprop classroom-demo`: both change only the
values of the first block (paths, ports, user names), and add the API token they drive
the hub with.
"""

c = get_config()  # noqa: F821  (injected by traitlets when JupyterHub loads this file)

# --- this server: set these -------------------------------------------------------------
VENV = "/opt/pigs-to-backprop/venv"  # the course's environment: every user runs it
SHARED_CONFIG = "/etc/jupyter"  # holds the nbgrader_config.py every user's server reads
STUDENT_CONFIG = "/etc/jupyter/students"  # docs/hub/students/: read by students' servers only
STATE = "/srv/jupyterhub"  # the hub's database, cookie secret and proxy pid (root only)
COURSE_ID = "pigs-to-backprop"
INSTRUCTOR = "instructor"  # an OS user; their Formgrader grades the course
COURSE_DIR = "/home/instructor/pigs-to-backprop"  # the instructor's copy of the course
STUDENTS = ["student1", "student2", "student3"]  # OS users, one per student
IP = "127.0.0.1"  # where the hub listens (behind HTTPS on a real server)
PORT = 8000  # the hub's address: http://IP:PORT
HUB_API_PORT = 8081  # internal: the hub's API (on 127.0.0.1)
PROXY_API_PORT = 8001  # internal: configurable-http-proxy's API (on 127.0.0.1)
FORMGRADER_PORT = 9999  # internal: Formgrader as a hub service (on 127.0.0.1)
# ------------------------------------------------------------------------------------------

# Who may log in. DummyAuthenticator accepts any password: a trial on 127.0.0.1 only.
# On a real server remove this line: the default, PAMAuthenticator, checks each user's
# system password (or use your institution's OAuthenticator).
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {INSTRUCTOR, *STUDENTS}

c.JupyterHub.ip = IP
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = HUB_API_PORT
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.pid_file = f"{STATE}/jupyterhub-proxy.pid"
c.JupyterHub.db_url = f"sqlite:///{STATE}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{STATE}/jupyterhub_cookie_secret"

# Each user's server: a process run as that OS user (JupyterHub's default
# LocalProcessSpawner) in their home, from the course's environment. JUPYTER_CONFIG_PATH
# names the folder of the shared nbgrader_config.py (/etc/jupyter is read anyway).
ENVIRONMENT = {
    "PATH": f"{VENV}/bin:/usr/local/bin:/usr/bin:/bin",
    "JUPYTER_CONFIG_PATH": SHARED_CONFIG,
}
c.Spawner.cmd = [f"{VENV}/bin/jupyterhub-singleuser"]
c.Spawner.environment = ENVIRONMENT
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120  # seconds; a busy machine starts a server slowly
c.Spawner.http_timeout = 120


def students_without_instructor_tools(spawner):
    """A student's server loads neither Formgrader nor the course list, and JupyterLab
    shows neither Formgrader nor Create Assignment (STUDENT_CONFIG turns them off; the
    Assignments panel and Validate stay). The instructor keeps everything."""
    if spawner.user.name != INSTRUCTOR:
        spawner.environment = {**spawner.environment,
                               "JUPYTER_CONFIG_PATH": f"{STUDENT_CONFIG}:{SHARED_CONFIG}"}


c.Spawner.pre_spawn_hook = students_without_instructor_tools

# Formgrader as a hub service (optional: the instructor also has it in their own
# server). It runs as the instructor, in the course directory, so nbgrader reads the
# course's nbgrader_config.py; only the formgrade-<course> group may open it, at
# /services/<course>/formgrader.
c.JupyterHub.services = [
    {
        "name": COURSE_ID,
        "url": f"http://127.0.0.1:{FORMGRADER_PORT}",
        "command": [f"{VENV}/bin/jupyterhub-singleuser"],
        "user": INSTRUCTOR,
        "cwd": COURSE_DIR,
        "environment": {**ENVIRONMENT, "JUPYTERHUB_DEFAULT_URL": "/lab"},
        "oauth_no_confirm": True,
    }
]
c.JupyterHub.load_groups = {f"formgrade-{COURSE_ID}": [INSTRUCTOR]}
c.JupyterHub.load_roles = [
    {
        "name": f"formgrade-{COURSE_ID}",
        "groups": [f"formgrade-{COURSE_ID}"],
        "scopes": [f"access:services!service={COURSE_ID}"],
    }
]
