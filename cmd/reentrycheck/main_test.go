package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestInvokedByGoCommand(t *testing.T) {
	for _, args := range [][]string{
		{"-V=full"},
		{"-flags"},
		{"--flags"},
		{"-json", "-reentrycheck.ioresult=a/b.C", "/tmp/go-build1/b001/vet.cfg"},
		{"-fix", "-diff", "vet.cfg"},
	} {
		assert.True(t, invokedByGoCommand(args), "%v", args)
	}
	for _, args := range [][]string{
		nil,
		{"./..."},
		{"-json", "./..."},
		{"demo"},
		{"version"},
		{"-version"},
	} {
		assert.False(t, invokedByGoCommand(args), "%v", args)
	}
}

func TestRunUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{nil, "no packages given"},
		{[]string{"-json", "-sarif", "./..."}, "exclusive"},
		{[]string{"-json", "-diff", "./..."}, "exclusive"},
		{[]string{"-nosuchflag", "./..."}, "flag provided but not defined: -nosuchflag"},
		{[]string{"demo", "extra"}, "demo takes no arguments"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := run(c.args, &stdout, &stderr)
		assert.Equal(t, exitError, code, "%v", c.args)
		assert.Contains(t, stderr.String(), c.want, "%v", c.args)
		assert.Empty(t, stdout.String(), "%v", c.args)
	}
}

func TestRunVersionAndHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, exitClean, run([]string{"version"}, &stdout, &stderr))
	assert.Regexp(t, `^reentrycheck \S`, stdout.String())

	stdout.Reset()
	assert.Equal(t, exitClean, run([]string{"help"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "go vet -vettool=$(which reentrycheck)")
	assert.Contains(t, stderr.String(), "-sarif")
}

func TestNamesLoadedPackage(t *testing.T) {
	loaded := map[string]bool{"example.com/x/rt": true, "gopkg.in/yaml.v3": true}
	assert.True(t, namesLoadedPackage("example.com/x/rt.Result", loaded))
	assert.True(t, namesLoadedPackage("example.com/x/rt.Cursor.Next", loaded))
	assert.True(t, namesLoadedPackage("gopkg.in/yaml.v3.Node.Decode", loaded), "a dot inside the import path")
	assert.False(t, namesLoadedPackage("example.com/x/tr.Result", loaded), "misspelt path")
	assert.False(t, namesLoadedPackage("example.com/x/rt", loaded), "a path alone names no declaration")
}
