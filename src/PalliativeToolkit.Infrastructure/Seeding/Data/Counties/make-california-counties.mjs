// Makes california-counties.json (the county map the portal draws) from the U.S. Census Bureau's county geometry in
// the us-atlas package (cartographic boundaries, 1:10,000,000). Run once, when the geometry should change; the portal
// itself never needs Node.js or npm:
//
//   mkdir /tmp/atlas && cd /tmp/atlas && npm install us-atlas@3.0.1 topojson-client@3.1.0 topojson-simplify@3.0.3 d3-geo@3.1.2
//   node <repo>/src/PalliativeToolkit.Infrastructure/Seeding/Data/Counties/make-california-counties.mjs /tmp/atlas > california-counties.json
//
// Output: the 58 counties of California (state FIPS 06), each with its five-digit FIPS code, its Census name and an SVG
// path in a 600 × 700 box (a conformal conic projection fitted to the state), simplified to keep the file small.
import { createRequire } from 'node:module';
import path from 'node:path';

const root = process.argv[2] ?? process.cwd();
const require = createRequire(path.join(root, 'package.json'));
const topology = require('us-atlas/counties-10m.json');
const { feature } = require('topojson-client');
const { presimplify, simplify, quantile } = require('topojson-simplify');
const { geoConicConformal, geoPath } = require('d3-geo');

const simplified = simplify(presimplify(topology), quantile(presimplify(topology), 0.25));
const counties = feature(simplified, simplified.objects.counties).features.filter(f => String(f.id).startsWith('06'));
if (counties.length !== 58) throw new Error(`Expected 58 California counties, found ${counties.length}`);

const width = 600, height = 700;
const collection = { type: 'FeatureCollection', features: counties };
const projection = geoConicConformal().parallels([34, 40.5]).rotate([120, 0]).fitSize([width, height], collection);
const draw = geoPath(projection).digits(1);

const out = {
  source: 'U.S. Census Bureau cartographic boundary files via us-atlas 3.0.1 (counties-10m.json), simplified; made by make-california-counties.mjs',
  viewBox: `0 0 ${width} ${height}`,
  counties: counties
    .map(f => ({ fips: String(f.id), name: f.properties.name, path: draw(f) }))
    .sort((a, b) => a.fips.localeCompare(b.fips)),
};
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
