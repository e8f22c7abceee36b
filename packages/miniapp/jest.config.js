// Unit tests of the mini-program's pure modules (code drawing, formatting). Browser behaviour is
// covered by e2e/ against the real H5 build.
const preset = require('../../config/jest.preset');

module.exports = preset({ name: 'miniapp', roots: ['<rootDir>/src'] });
