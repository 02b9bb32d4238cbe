package sarif

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUTF16Column(t *testing.T) {
	line := []byte("\tx := \"é😀\" + y")
	// byte columns: tab=1, x=2, ... 'é' is 2 bytes, '😀' is 4 bytes and 2 UTF-16 units.
	yByte := bytes.IndexByte(line, 'y') + 1
	assert.Equal(t, 1, UTF16Column(line, 1))
	assert.Equal(t, 2, UTF16Column(line, 2))
	assert.Equal(t, yByte-1-2, UTF16Column(line, yByte), "é saves one unit, 😀 saves two")
	assert.Equal(t, len("\tx := \"é😀\" + y")-1-2+1+2, UTF16Column(line, len(line)+3), "past the end keeps its distance")
}

func TestLogWriteShape(t *testing.T) {
	one := 1
	log := &Log{Schema: Schema, Version: Version, Runs: []Run{{
		Tool: Tool{Driver: Driver{Name: "reentrycheck", Rules: []ReportingDescriptor{{ID: "r"}}}},
		Results: []Result{{RuleID: "r", Level: "warning", Message: Message{Text: "m <x>"},
			Locations:        []Location{{PhysicalLocation: PhysicalLocation{ArtifactLocation: ArtifactLocation{URI: "a.go", URIBaseID: SrcRoot}, Region: Region{StartLine: 3}}}},
			RelatedLocations: []Location{{ID: &one, Message: &Message{Text: "yield"}}},
		}},
	}}}
	var buf bytes.Buffer
	require.NoError(t, log.Write(&buf))
	assert.Contains(t, buf.String(), `"m <x>"`, "HTML is not escaped")
	var back map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, "2.1.0", back["version"])
	run := back["runs"].([]any)[0].(map[string]any)
	res := run["results"].([]any)[0].(map[string]any)
	assert.Equal(t, "r", res["ruleId"])
	assert.EqualValues(t, 0, res["ruleIndex"])
	assert.NotContains(t, res, "fixes", "empty fixes are omitted")
	loc := res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
	assert.Equal(t, "SRCROOT", loc["artifactLocation"].(map[string]any)["uriBaseId"])
}
