package main

import "encoding/json"

// jsonIndent marshals v for files people read.
func jsonIndent(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	return append(b, '\n'), err
}
