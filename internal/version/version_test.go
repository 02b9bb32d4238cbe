package version

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReleaseBuild(t *testing.T) {
	i := FromBuildInfo(&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "example.com/x", Version: "v1.2.3"}})
	assert.Equal(t, "example.com/x v1.2.3 (go1.26.8)", i.String())
	assert.Equal(t, "v1.2.3", i.Short())
}

func TestDevelBuildWithVCS(t *testing.T) {
	i := FromBuildInfo(&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "example.com/x", Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"},
			{Key: "vcs.time", Value: "2026-11-28T01:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		}})
	assert.Equal(t, "example.com/x (devel) rev 0123456789ab 2026-11-28T01:00:00Z, modified (go1.26.8)", i.String())
	assert.Equal(t, "(devel) 0123456789ab-dirty", i.Short())
}

func TestEmptyVersionIsDevel(t *testing.T) {
	i := FromBuildInfo(&debug.BuildInfo{Main: debug.Module{Path: "example.com/x"}})
	assert.Equal(t, "(devel)", i.Version)
	assert.Equal(t, "(devel)", i.Short())
}
