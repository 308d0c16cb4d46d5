package main

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/diffuseq-go/diffuseq/metrics"
)

// folderFiles lists a decode folder as the reference's eval script does:
// sorted names matching *json.
func folderFiles(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("--folder %s: no *json files", dir)
	}
	sort.Strings(paths)
	return paths, nil
}

// checkAligned requires every file to have as many lines as the first and
// the same reference on each line: MBR and diversity combine line i of
// every file, so a misaligned file (e.g. a decode appended twice, as the
// reference's decoder can do) would silently mix examples.
func checkAligned(files []*metrics.DecodeFile) error {
	first := files[0]
	for _, f := range files[1:] {
		if len(f.Examples) != len(first.Examples) {
			return fmt.Errorf("%s has %d lines but %s has %d: decode files must be line-aligned",
				f.Path, len(f.Examples), first.Path, len(first.Examples))
		}
		for i, e := range f.Examples {
			if e.Reference != first.Examples[i].Reference {
				return fmt.Errorf("%s:%d: field \"reference\" differs from %s:%d: decode files must be line-aligned",
					f.Path, i+1, first.Path, i+1)
			}
		}
	}
	return nil
}
