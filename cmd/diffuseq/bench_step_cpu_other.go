//go:build !unix

package main

import "time"

// processCPU is unavailable here; bench step's CPU-time fields then read 0.
func processCPU() time.Duration { return 0 }
