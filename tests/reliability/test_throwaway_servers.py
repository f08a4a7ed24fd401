"""When a throwaway server of the tests cannot be set up, the failure says the program's own words."""

import pytest

from tests.support import cluster_servers
from tests.support.servers import MariaDBServer, find_binary

pytestmark = pytest.mark.slow

SERVER = find_binary("mariadbd", "mysqld")
INSTALL = find_binary("mariadb-install-db", "mysql_install_db")
# mariadb-install-db's own message when the data directory cannot be made.
ITS_REASON = "Can't create database directory"


def test_a_failed_mariadb_install_shows_its_output(tmp_path):
    (tmp_path / "data").write_text("a file where the data directory should go")
    server = MariaDBServer(str(tmp_path), SERVER, INSTALL)
    with pytest.raises(RuntimeError) as failure:
        server.start()
    assert ITS_REASON in str(failure.value)
    assert not server.running


def test_a_failed_install_of_the_scale_out_servers_shows_its_output(tmp_path):
    server = cluster_servers.MariaDBServer("primary", tmp_path / "primary", 1)
    server.data_dir.write_text("a file where the data directory should go")
    with pytest.raises(AssertionError) as failure:
        cluster_servers.install_all(server)
    assert ITS_REASON in str(failure.value)
