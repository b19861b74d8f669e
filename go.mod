module github.com/surrealauth/surrealauth

go 1.26

require (
	github.com/coder/websocket v1.8.15
	github.com/fxamacker/cbor/v2 v2.10.0
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/hack-pad/safejs v0.1.0
)

require github.com/x448/float16 v0.8.4 // indirect
