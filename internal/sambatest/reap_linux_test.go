package sambatest

import (
	"os/exec"
	"strconv"
	"testing"
)

// TestStopReapsRPCHelpers: an RPC call makes smbd start samba-dcerpcd and
// its workers, which leave smbd's process group; Stop must end them too.
func TestStopReapsRPCHelpers(t *testing.T) {
	s := Start(t, Options{})
	if _, err := exec.LookPath("rpcclient"); err != nil {
		Unavailable(t, "rpcclient not installed (apt-get install smbclient)")
	}
	out, err := exec.Command("rpcclient", "-p", strconv.Itoa(s.Port), "-A", s.AuthFile(t, s.Admin), "127.0.0.1", "-c", "srvinfo").CombinedOutput()
	if err != nil {
		t.Fatalf("rpcclient srvinfo: %v: %s", err, out)
	}
	if len(helperPIDs(s.Conf)) == 0 {
		t.Fatal("no process runs with this instance's config after an RPC call; the test no longer exercises the helpers")
	}
	s.Stop()
	if pids := helperPIDs(s.Conf); len(pids) != 0 {
		t.Fatalf("processes still running with %s after Stop: %v", s.Conf, pids)
	}
}
