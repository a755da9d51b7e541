module helpline

go 1.26.8

require (
	github.com/kljensen/snowball v0.10.0
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/text v0.43.0
)
