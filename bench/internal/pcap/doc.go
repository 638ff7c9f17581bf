// Package pcap reads the classic libpcap capture format that tcpdump -w
// writes, decodes the TCP segments in it, and counts the network round
// trips of each TCP connection.
//
// It exists for the benchmarks: the number of round trips a client needs
// from TCP connect to answer decides its wall time on a real network far
// more than its CPU time on loopback, so bench counts them from a capture
// of every client it measures, with the same rule for all.
//
// A round trip, here, is a client-to-server flight followed by a
// server-to-client flight. A flight is a maximal run of consecutive
// segments carrying payload in one direction; pure ACKs, window updates
// and the FIN exchange carry no payload and are ignored. The TCP
// three-way handshake (SYN, SYN-ACK) is counted as one more round trip,
// separately, so that "round trips from TCP connect to answer" is
// Handshake + Data. A client that pipelines several requests before it
// waits (SMB2 compounding, a DCE/RPC bind sent with its first request)
// makes one flight of them, which is exactly the saving that matters on
// a network with latency.
package pcap
