package version

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Info describes the running binary.
type Info struct {
	Module    string // main module path
	Version   string // module version, "(devel)" for a local build
	Revision  string // vcs.revision, if stamped
	Time      string // vcs.time, if stamped
	Modified  bool   // the checkout had uncommitted changes
	GoVersion string // toolchain that built it
}

// Read returns the build information of the running binary.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "(unknown)"}
	}
	return FromBuildInfo(bi)
}

// FromBuildInfo extracts Info from bi.
func FromBuildInfo(bi *debug.BuildInfo) Info {
	info := Info{Module: bi.Main.Path, Version: bi.Main.Version, GoVersion: bi.GoVersion}
	if info.Version == "" {
		info.Version = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Revision = s.Value
		case "vcs.time":
			info.Time = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	return info
}

// Short is the version for machine-readable metadata: the module version,
// or for a development build the (short) revision it was built from.
func (i Info) Short() string {
	if i.Version != "(devel)" || i.Revision == "" {
		return i.Version
	}
	rev := i.Revision
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if i.Modified {
		rev += "-dirty"
	}
	return "(devel) " + rev
}

// String is one line for humans, for example
// "github.com/reentrycheck/reentrycheck v0.1.0 (go1.26.8)" or
// "github.com/reentrycheck/reentrycheck (devel) rev 0123abcd4567 2026-11-28T01:00:00Z, modified (go1.26.8)".
func (i Info) String() string {
	var b strings.Builder
	if i.Module != "" {
		b.WriteString(i.Module + " ")
	}
	b.WriteString(i.Version)
	if i.Revision != "" {
		rev := i.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		fmt.Fprintf(&b, " rev %s", rev)
		if i.Time != "" {
			fmt.Fprintf(&b, " %s", i.Time)
		}
		if i.Modified {
			b.WriteString(", modified")
		}
	}
	if i.GoVersion != "" {
		fmt.Fprintf(&b, " (%s)", i.GoVersion)
	}
	return b.String()
}
